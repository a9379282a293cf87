import type { MetaDescriptor } from "@remix-run/node";

/**
 * A route's meta merged with its parents' (Remix's documented pattern: a route's
 * `meta` replaces its parents' unless it takes them from `matches`): the page's
 * own title and description replace the inherited ones, everything else the
 * parents set (say, the root's) is kept. Every page has both: search engines
 * and the browser's tab show them.
 */
export function pageMeta(
  matches: readonly { meta?: readonly MetaDescriptor[] }[],
  page: { title: string; description: string },
): MetaDescriptor[] {
  const inherited = matches
    .flatMap((match) => match.meta ?? [])
    .filter((descriptor) => !("title" in descriptor) && !("name" in descriptor && descriptor.name === "description"));
  return [...inherited, { title: page.title }, { name: "description", content: page.description }];
}
