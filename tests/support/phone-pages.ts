/**
 * The pages issue 15's phone targets are measured on (Lighthouse in `npm run audit`,
 * cold loads in tests/e2e/lean-pages.spec.ts): `/` and `/login` as a visitor (a
 * signed-in visitor of /login is sent on to the dashboard), the rest signed in.
 */
export const PHONE_PAGES: readonly { path: string; signedIn: boolean }[] = [
  { path: "/", signedIn: false },
  { path: "/login", signedIn: false },
  { path: "/dashboard", signedIn: true },
  { path: "/transactions", signedIn: true },
  { path: "/payments/new", signedIn: true },
  { path: "/profile", signedIn: true },
];

/** No page may send more than this on a cold load, compressed. */
export const MAX_PAGE_BYTES = 150_000;
