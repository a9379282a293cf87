import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "~/sign-out.server";

// Signing out changes state, so only a POST (from the "Sign out" form) does it.
export function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  return signOut(request, context);
}
