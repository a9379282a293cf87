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
  /**
   * Exact path, e.g. "/v1/users/me", or with `:name` segments, e.g. "/dev/users/:email/logout"
   * (the resolver reads them from the URL); the msw handler matches it on any origin ("*\/v1/users/me").
   */
  path: string;
  resolve(request: Request): Response | Promise<Response>;
}

export function toHandlers(routes: readonly Route[]): RequestHandler[] {
  return routes.map((route) => {
    const register = route.method === "GET" ? http.get : http.post;
    return register(`*${route.path}`, ({ request }) => route.resolve(request));
  });
}

/** Exact paths by `${method} ${path}`, for O(1) dispatch; the few with `:name` segments are matched in turn. */
export interface RouteTable {
  exact: Map<string, Route>;
  patterns: { method: Method; pattern: RegExp; route: Route }[];
}

export function routeTable(routes: readonly Route[]): RouteTable {
  const table: RouteTable = { exact: new Map(), patterns: [] };
  for (const route of routes) {
    if (!route.path.includes("/:")) {
      table.exact.set(`${route.method} ${route.path}`, route);
      continue;
    }
    const source = route.path
      .split("/")
      .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    table.patterns.push({ method: route.method, pattern: new RegExp(`^${source}$`), route });
  }
  return table;
}

export function findRoute(table: RouteTable, method: string, path: string): Route | undefined {
  return (
    table.exact.get(`${method} ${path}`) ??
    table.patterns.find((entry) => entry.method === method && entry.pattern.test(path))?.route
  );
}

export function route(method: Method, path: string, resolve: Route["resolve"]): Route {
  return { method, path, resolve };
}
