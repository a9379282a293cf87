import { http, type RequestHandler } from "msw";

/**
 * A service's behaviour as a table of routes: method, exact path and a resolver
 * from Fetch Request to Fetch Response. `toHandlers` turns the table into msw
 * handlers (what tests and other code consume), and serve.ts dispatches the same
 * resolvers directly: msw's own matching costs ~350 µs per request (cookie
 * parsing, path compilation, abort signals), which would make the stand-ins,
 * not the BFF, the bottleneck of a benchmark. One definition, two doors.
 */

export type Method = "GET" | "POST";

export interface Route {
  method: Method;
  /** Exact path, e.g. "/v1/users/me"; the msw handler matches it on any origin ("*\/v1/users/me"). */
  path: string;
  resolve(request: Request): Response | Promise<Response>;
}

export function toHandlers(routes: readonly Route[]): RequestHandler[] {
  return routes.map((route) => {
    const register = route.method === "GET" ? http.get : http.post;
    return register(`*${route.path}`, ({ request }) => route.resolve(request));
  });
}

/** `${method} ${path}` → route, for O(1) dispatch. */
export function routeTable(routes: readonly Route[]): Map<string, Route> {
  return new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
}

export function route(method: Method, path: string, resolve: Route["resolve"]): Route {
  return { method, path, resolve };
}
