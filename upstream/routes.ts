import { http, type RequestHandler } from "msw";

/**
 * A service's behaviour as a table of routes: method, path and a resolver
 * from Fetch Request to Fetch Response. `toHandlers` turns the table into msw
 * handlers (what tests and other code consume), and serve.ts dispatches the same
 * resolvers directly: msw's own matching costs ~350 µs per request (cookie
 * parsing, path compilation, abort signals), which would make the stand-ins,
 * not the BFF, the bottleneck of a benchmark. One definition, two doors.
 */

export type Method = "GET" | "POST" | "DELETE";

/** Values of a path's `:name` segments. */
export type PathParams = Record<string, string>;

export interface Route {
  method: Method;
  /**
   * Exact path, e.g. "/v1/users/me", or with `:name` segments, e.g. "/v1/passkeys/:credentialId"
   * (msw's syntax, so the msw handler matches it the same way); matched on any origin.
   */
  path: string;
  resolve(request: Request, params: PathParams): Response | Promise<Response>;
}

const REGISTER = { GET: http.get, POST: http.post, DELETE: http.delete } as const;

export function toHandlers(routes: readonly Route[]): RequestHandler[] {
  return routes.map((route) =>
    REGISTER[route.method](`*${route.path}`, ({ request, params }) =>
      route.resolve(request, Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value)]))),
    ),
  );
}

/** Routes by method and path: exact paths in O(1), the few with `:name` segments tried in order after them. */
export interface RouteTable {
  find(method: string, pathname: string): { route: Route; params: PathParams } | undefined;
}

const NO_PARAMS: PathParams = Object.freeze({});

export function routeTable(routes: readonly Route[]): RouteTable {
  const exact = new Map<string, Route>();
  const patterns: { route: Route; segments: string[] }[] = [];
  for (const route of routes) {
    if (route.path.includes("/:")) patterns.push({ route, segments: route.path.split("/") });
    else exact.set(`${route.method} ${route.path}`, route);
  }
  return {
    find(method, pathname) {
      const route = exact.get(`${method} ${pathname}`);
      if (route) return { route, params: NO_PARAMS };
      if (patterns.length === 0) return undefined;
      const parts = pathname.split("/");
      for (const pattern of patterns) {
        if (pattern.route.method !== method) continue;
        const params = matchSegments(pattern.segments, parts);
        if (params) return { route: pattern.route, params };
      }
      return undefined;
    },
  };
}

function matchSegments(segments: string[], parts: string[]): PathParams | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: PathParams = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const part = parts[i] as string;
    if (segment.startsWith(":")) {
      if (part === "") return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (segment !== part) return undefined;
  }
  return params;
}

export function route(method: Method, path: string, resolve: Route["resolve"]): Route {
  return { method, path, resolve };
}
