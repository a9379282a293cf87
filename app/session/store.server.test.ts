import { testServices } from "../../tests/support/services";
import { DEMO } from "../../tests/support/session";
import { createSealer } from "./seal.server";
import { cookieValue, createCookieSessionStore, sessionCookies, type CustomerSession } from "./store.server";

const SECRET = "s".repeat(40);

async function realSession(): Promise<CustomerSession> {
  const tokens = await testServices().auth.passwordLogin(DEMO.ada.email, DEMO.ada.password);
  return { id: crypto.randomUUID(), tokens, createdAt: Date.now(), lastSeenAt: Date.now() };
}

const requestWith = (setCookie: string) =>
  new Request("http://localhost/", { headers: { cookie: setCookie.split(";")[0] ?? "" } });

describe("the cookie session store", () => {
  it("sets an HttpOnly, SameSite=Lax, Path=/ cookie without Secure over http", async () => {
    const cookie = await createCookieSessionStore([SECRET]).commit(await realSession(), false, Date.now() + 60_000);
    expect(cookie).toMatch(/^session=/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Secure");
    expect(cookie).not.toContain("Domain");
    expect(cookie).toMatch(/Max-Age=(59|60);/);
  });

  it("uses a Secure __Host- cookie over https", async () => {
    const cookie = await createCookieSessionStore([SECRET]).commit(await realSession(), true, Date.now() + 60_000);
    expect(cookie).toMatch(/^__Host-session=/);
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("Path=/");
  });

  it("stays well under 4096 bytes with the stand-in's real tokens, and hides them", async () => {
    const session = await realSession();
    const cookie = await createCookieSessionStore([SECRET]).commit(session, true, Date.now() + 60_000);
    expect(cookie.length).toBeLessThan(4096);
    expect(cookie).not.toContain(session.tokens.accessToken.slice(0, 20));
    expect(cookie).not.toContain(session.tokens.refreshToken);
    const value = decodeURIComponent(cookie.split(";")[0]?.split("=")[1] ?? "");
    expect(Buffer.from(value, "base64").toString("latin1")).not.toMatch(/eyJ|refresh/);
  });

  it("reads back what it committed", async () => {
    const store = createCookieSessionStore([SECRET]);
    const session = await realSession();
    const cookie = await store.commit(session, false, Date.now() + 60_000);
    await expect(store.read(requestWith(cookie), false)).resolves.toEqual(session);
  });

  it("reads the cookie of the request's scheme only", async () => {
    const store = createCookieSessionStore([SECRET]);
    const cookie = await store.commit(await realSession(), false, Date.now() + 60_000);
    await expect(store.read(requestWith(cookie), true)).resolves.toBeNull();
  });

  it("treats a tampered, foreign or garbage cookie as no session", async () => {
    const store = createCookieSessionStore([SECRET]);
    const cookie = await store.commit(await realSession(), false, Date.now() + 60_000);
    const [name, value = ""] = (cookie.split(";")[0] ?? "").split("=");
    const middle = Math.floor(value.length / 2);
    const flipped = value.slice(0, middle) + (value[middle] === "A" ? "B" : "A") + value.slice(middle + 1);
    await expect(store.read(requestWith(`${name}=${flipped}`), false)).resolves.toBeNull();
    await expect(store.read(requestWith(`${name}=garbage`), false)).resolves.toBeNull();
    await expect(createCookieSessionStore(["x".repeat(40)]).read(requestWith(cookie), false)).resolves.toBeNull();
  });

  it("keeps sessions across a secret rotation", async () => {
    const session = await realSession();
    const cookie = await createCookieSessionStore([SECRET]).commit(session, false, Date.now() + 60_000);
    const rotated = createCookieSessionStore(["r".repeat(40), SECRET]);
    await expect(rotated.read(requestWith(cookie), false)).resolves.toEqual(session);
  });

  it("destroys with an expired, empty cookie", async () => {
    const cookie = await createCookieSessionStore([SECRET]).destroy(false);
    expect(cookie).toMatch(/^session=;/);
    expect(cookie).toContain("Max-Age=0");
  });

  it("writes the sealed value as the cookie's value, with no second envelope", async () => {
    const cookie = await createCookieSessionStore([SECRET]).commit(await realSession(), false, Date.now() + 60_000);
    const value = cookie.split(";")[0]?.slice("session=".length) ?? "";
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(createSealer([SECRET], "session").open(value)).toContain('"tokens"');
  });

  it("still reads a session written in Remix's signed cookie around the seal (before decision 015)", async () => {
    const session = await realSession();
    const sealed = createSealer([SECRET], "session").seal(JSON.stringify(session));
    const old = await sessionCookies([SECRET])(false).serialize(sealed, { maxAge: 60 });
    const store = createCookieSessionStore([SECRET]);
    await expect(store.read(requestWith(old), false)).resolves.toEqual(session);
    await expect(createCookieSessionStore(["x".repeat(40)]).read(requestWith(old), false)).resolves.toBeNull();
  });
});

describe("cookieValue", () => {
  it("finds a cookie by its exact name among others", () => {
    expect(cookieValue("a=1; session=abc; b=2", "session")).toBe("abc");
    expect(cookieValue("session=abc", "session")).toBe("abc");
    expect(cookieValue("__Host-session=x;session=y", "session")).toBe("y");
    expect(cookieValue("__Host-session=x", "session")).toBeUndefined();
    expect(cookieValue("sessionid=x; other=1", "session")).toBeUndefined();
    expect(cookieValue("", "session")).toBeUndefined();
    expect(cookieValue(null, "session")).toBeUndefined();
  });
});
