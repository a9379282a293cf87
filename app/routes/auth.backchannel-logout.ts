import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveLogoutToken } from "~/backchannel/logout.server";

// For Auth only (OpenID Connect Back-Channel Logout): see app/backchannel/logout.server.ts.
export function loader() {
  return Response.json({ error: "invalid_request" }, { status: 405, headers: { Allow: "POST", "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return loader();
  return receiveLogoutToken(request, context);
}
