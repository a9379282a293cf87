// A trivial resource route: the floor pays for the app's route tree, not for this route's work.
export function action() {
  return new Response("{}", { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
