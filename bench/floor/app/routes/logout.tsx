import { redirect } from "@remix-run/node";

// A trivial action: the floor pays for the app's route tree, not for this route's work.
export function action() {
  return redirect("/login");
}
