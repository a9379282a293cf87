import type { RequestHandler } from "msw";
import { authenticate } from "./grants";
import { healthRoute, invalidToken, json } from "./responses";
import type { StandinState } from "./state";
import { route, toHandlers, type Route } from "./routes";

/** Users: the current user's profile as a fat snake_case record; the BFF picks a handful of fields. */
export function usersRoutes(state: StandinState): Route[] {
  return [
    healthRoute(),
    route("GET", "/v1/users/me", async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      return json(200, customer.user, { "cache-control": "private, no-store", etag: customer.user.etag });
    }),
  ];
}

/** The service as msw handlers: for in-process use (msw's setupServer) and per-test overrides. */
export function usersHandlers(state: StandinState): RequestHandler[] {
  return toHandlers(usersRoutes(state));
}
