import { http, type RequestHandler } from "msw";

/**
 * A service's behaviour as a table of routes: method, exact path and a resolver
 * from Fetch Request to Fetch Response. `toHandlers` turns the table into msw
 * handlers (what tests and other code consume), and serve.ts dispatches the same
 * resolvers directly: msw's own matching costs ~350 µs per request (cookie
 * parsing, path compilation, abort signals), which would make the stand-ins,
 * not the BFF, the bottleneck of a benchmark. One definition, two doors.
 */

export type Method = "GET" | "POST" | "DELETE";

export interface Route {
  method: Method;
  /**
   * Exact path, e.g. "/v1/users/me", or with `:name` segments for ids, e.g.
   * "/v1/sca/challenges/:challengeId/verify" (read them with `pathParam`). The msw
   * handler matches it on any origin ("*\/v1/users/me").
   */
  path: string;
  resolve(request: Request): Response | Promise<Response>;
}

const REGISTER = { GET: http.get, POST: http.post, DELETE: http.delete } as const;

export function toHandlers(routes: readonly Route[]): RequestHandler[] {
  return routes.map((route) => REGISTER[route.method](`*${route.path}`, ({ request }) => route.resolve(request)));
}

export interface RouteTable {
  find(method: string, pathname: string): Route | undefined;
}

/** Exact paths in a map (O(1) dispatch); the few with `:name` segments are tried after, in order. */
export function routeTable(routes: readonly Route[]): RouteTable {
  const exact = new Map<string, Route>();
  const patterns: { method: Method; pattern: RegExp; route: Route }[] = [];
  for (const route of routes) {
    if (route.path.includes("/:")) patterns.push({ method: route.method, pattern: pathPattern(route.path), route });
    else exact.set(`${route.method} ${route.path}`, route);
  }
  return {
    find(method, pathname) {
      const found = exact.get(`${method} ${pathname}`);
      if (found || patterns.length === 0) return found;
      return patterns.find((entry) => entry.method === method && entry.pattern.test(pathname))?.route;
    },
  };
}

function pathPattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => (segment.startsWith(":") ? `(?<${segment.slice(1)}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}$`);
}

/** The value of a `:name` segment of `path` in the request's URL (decoded), or undefined. */
export function pathParam(path: string, request: Request, name: string): string | undefined {
  const raw = pathPattern(path).exec(new URL(request.url).pathname)?.groups?.[name];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function route(method: Method, path: string, resolve: Route["resolve"]): Route {
  return { method, path, resolve };
}
