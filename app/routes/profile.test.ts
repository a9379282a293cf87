import { http, HttpResponse } from "msw";
import { buildRequest, call, cookieFrom, testContext } from "../../tests/support/remix";
import { DEMO, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { getSessionRuntime } from "../session/runtime.server";
import type { SignInListView, SignInView } from "../../types/views";
import { action as login } from "./login";
import { action as logout } from "./logout";
import { action, loader } from "./profile";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

/** Signs Ada in from a browser with this User-Agent. */
async function signInFrom(userAgent: string, customer: "ada" | "grace" = "ada") {
  const response = await call(login, buildRequest("/login", { form: { email: DEMO[customer].email, password: DEMO[customer].password }, headers: { "user-agent": userAgent } }));
  return cookieFrom(response);
}

async function signInsOf(cookie: string): Promise<SignInView[]> {
  const body = (await (await call(loader, buildRequest("/profile", { cookie }))).json()) as { signIns: { status: string; data: SignInListView } };
  return body.signIns.data.items;
}

const profileStatus = async (cookie: string) => (await call(loader, buildRequest("/profile", { cookie }))).status;

describe("GET /profile", () => {
  it("shows name, e-mail and member since, and where the customer is signed in", async () => {
    const response = await call(loader, buildRequest("/profile", { cookie: await signInAs("ada") }));
    expect(await response.json()).toEqual({
      status: "ok",
      passkeys: { status: "ok", data: [] },
      data: {
        fullName: "Ada Lovelace",
        email: "ada@example.com",
        memberSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        memberSinceText: expect.stringMatching(/\d{4}$/),
      },
      signIns: {
        status: "ok",
        data: {
          items: [
            {
              id: expect.stringMatching(/^[\w-]{22}$/),
              device: "Unknown browser on unknown system",
              signedInAt: expect.stringMatching(/^\d{4}-/),
              signedInText: expect.stringMatching(/UTC$/),
              lastActiveAt: expect.stringMatching(/^\d{4}-/),
              lastActiveText: expect.stringMatching(/UTC$/),
              current: true,
            },
          ],
          notShown: 0,
        },
      },
    });
  });

  it("lists each of this customer's sign-ins with browser and system, this one first and marked, nobody else's", async () => {
    const older = await signInFrom(FIREFOX_WINDOWS);
    await signInFrom(FIREFOX_WINDOWS, "grace");
    const mine = await signInFrom(CHROME_LINUX);
    const list = await signInsOf(mine);
    expect(list.map(({ device, current }) => ({ device, current }))).toEqual([
      { device: "Chrome on Linux", current: true },
      { device: "Firefox on Windows", current: false },
    ]);
    expect((await signInsOf(older)).map((signIn) => signIn.current)).toEqual([true, false]);
    // The handle is not the session id.
    const session = await getSessionRuntime().store.read(buildRequest("/", { cookie: mine }), false);
    expect(list.map((signIn) => signIn.id)).not.toContain(session?.id);
  });

  it("lists this sign-in and the 10 most recently active others, and counts the rest", async () => {
    const first = await signInFrom(FIREFOX_WINDOWS);
    for (let other = 0; other < 13; other++) await signInFrom(FIREFOX_WINDOWS);
    const mine = await signInFrom(CHROME_LINUX);
    // The first sign-in comes back after a while (past the session's touch interval):
    // now the most recently active of the others.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 5 * 60_000 });
    try {
      expect(await profileStatus(first)).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    const body = (await (await call(loader, buildRequest("/profile", { cookie: mine }))).json()) as { signIns: { data: SignInListView } };
    const { items, notShown } = body.signIns.data;
    expect(items).toHaveLength(11);
    expect(notShown).toBe(4);
    expect(items[0]?.current).toBe(true);
    const others = items.slice(1);
    expect(others.map((signIn) => signIn.lastActiveAt)).toEqual(others.map((signIn) => signIn.lastActiveAt).sort().reverse());
    const [firstOwn] = await signInsOf(first);
    expect(others[0]?.id).toBe(firstOwn?.id);
  });

  it("drops sign-ins that signed out or timed out", async () => {
    const mine = await signInAs("ada");
    const other = await signInAs("ada");
    await call(logout, buildRequest("/logout", { method: "POST", cookie: other }));
    expect(await signInsOf(mine)).toHaveLength(1);
    // Signing in again in the same browser replaces its sign-in, it does not add one.
    const again = await call(login, buildRequest("/login", { form: { email: DEMO.ada.email, password: DEMO.ada.password }, cookie: mine }));
    expect(await signInsOf(cookieFrom(again))).toHaveLength(1);
  });

  it("degrades the profile with a message when Users fails, keeping the list", async () => {
    const cookie = await signInAs("ada");
    standins.use(http.get("*/v1/users/me", () => HttpResponse.json({}, { status: 503 })));
    const response = await call(loader, buildRequest("/profile", { cookie }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "unavailable",
      message: "Your profile is unavailable right now.",
      signIns: { status: "ok" },
      passkeys: { status: "ok", data: [] },
    });
  });

  it("redirects a signed-out visitor to sign in, coming back here", async () => {
    const response = await call(loader, buildRequest("/profile"));
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fprofile");
  });
});

describe("POST /profile", () => {
  const post = (cookie: string, form: Record<string, string>) => call(action, buildRequest("/profile", { cookie, form }), { context: testContext() });

  it("'Sign out' of another sign-in ends it (its next request goes to sign in), revokes its login at Auth, keeps this one", async () => {
    const mine = await signInFrom(CHROME_LINUX);
    const other = await signInFrom(FIREFOX_WINDOWS);
    const third = await signInFrom(FIREFOX_WINDOWS);
    const [target] = await signInsOf(other); // its own list starts with itself
    const revokes = () => standins.requests.filter((request) => request.path === "/oauth/revoke").length;
    const before = revokes();
    const response = await post(mine, { intent: "sign-out-other", signIn: target?.id ?? "" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/profile");
    expect(revokes() - before).toBe(1);
    const after = await call(loader, buildRequest("/profile", { cookie: other }));
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe("/login?redirectTo=%2Fprofile&reason=ended");
    expect(await profileStatus(third)).toBe(200);
    expect(await profileStatus(mine)).toBe(200);
    expect((await signInsOf(mine)).map((signIn) => signIn.current)).toEqual([true, false]);
  });

  it("'Sign out everywhere else' ends every other sign-in and keeps this one", async () => {
    const others = [await signInAs("ada"), await signInAs("ada")];
    const grace = await signInAs("grace");
    const mine = await signInAs("ada");
    const response = await post(mine, { intent: "sign-out-others" });
    expect(response.status).toBe(302);
    for (const cookie of others) expect(await profileStatus(cookie)).toBe(302);
    expect(await profileStatus(mine)).toBe(200);
    expect(await profileStatus(grace)).toBe(200);
    expect(await signInsOf(mine)).toHaveLength(1);
  });

  it("cannot end another customer's sign-in, nor this one, by its handle", async () => {
    const grace = await signInAs("grace");
    const [graceSignIn] = await signInsOf(grace);
    const mine = await signInAs("ada");
    const [own] = await signInsOf(mine);
    await post(mine, { intent: "sign-out-other", signIn: graceSignIn?.id ?? "" });
    await post(mine, { intent: "sign-out-other", signIn: own?.id ?? "" });
    expect(await profileStatus(grace)).toBe(200);
    expect(await profileStatus(mine)).toBe(200);
  });

  it("answers an unknown intent with 400 and changes nothing", async () => {
    const other = await signInAs("ada");
    const mine = await signInAs("ada");
    expect((await post(mine, { intent: "sign-out-everything" })).status).toBe(400);
    expect((await post(mine, { intent: "sign-out-other" })).status).toBe(400);
    expect(await profileStatus(other)).toBe(200);
  });
});
