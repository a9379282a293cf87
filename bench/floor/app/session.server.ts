import { createCookieSessionStorage } from "@remix-run/node";

/** A signed cookie session, as a bare Remix app keeps one (the app seals its own: decision 004). */
export const sessions = createCookieSessionStorage<{ email: string }>({
  cookie: {
    name: "__session",
    httpOnly: true,
    path: "/",
    sameSite: "lax",
    secrets: [process.env.SESSION_SECRET ?? "bench-floor-secret"],
  },
});
