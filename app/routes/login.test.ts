import { getSessionRuntime } from "~/session/runtime.server";
import { buildRequest, call, cookieFrom, testContext } from "../../tests/support/remix";
import { DEMO, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { loader as dashboardLoader } from "./dashboard";
import { action, loader } from "./login";

const signIn = (form: Record<string, string>, context = testContext()) =>
  call(action, buildRequest("/login", { form }), { context });

const tokenCalls = () => standins.requests.filter((request) => request.path === "/oauth/token").length;

describe("POST /login", () => {
  it("signs in, sets an HttpOnly session cookie and goes to the dashboard", async () => {
    const response = await signIn({ email: DEMO.ada.email, password: DEMO.ada.password });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/dashboard");
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^session=.+; .*HttpOnly/);
    const page = await call(dashboardLoader, buildRequest("/dashboard", { cookie: cookieFrom(response) }));
    expect((await page.json()).customer).toEqual({ status: "ok", data: { firstName: "Ada", fullName: "Ada Lovelace" } });
  });

  it("accepts the e-mail in any case and with spaces", async () => {
    const response = await signIn({ email: "  ADA@Example.com ", password: DEMO.ada.password });
    expect(response.status).toBe(302);
  });

  it("goes to a same-origin redirectTo, and ignores one that leaves the app", async () => {
    const back = await signIn({ ...DEMO.ada, redirectTo: "/transactions?cursor=abc" });
    expect(back.headers.get("location")).toBe("/transactions?cursor=abc");
    const away = await signIn({ ...DEMO.ada, redirectTo: "//evil.example/steal" });
    expect(away.headers.get("location")).toBe("/dashboard");
  });

  it("re-renders with 401 and one message for a wrong password or an unknown e-mail (no enumeration)", async () => {
    const wrong = await signIn({ email: DEMO.ada.email, password: "nope" });
    const unknown = await signIn({ email: "nobody@example.com", password: "nope" });
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("set-cookie")).toBeNull();
    }
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a).toEqual({ status: "refused", message: "The email or password is incorrect.", values: expect.any(Object) });
    expect(b.message).toBe(a.message);
  });

  it("answers missing or malformed fields with 400 and a message per field, without calling Auth", async () => {
    const response = await signIn({ email: "not-an-email" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      status: "invalid",
      fieldErrors: { email: "Enter an email address like name@example.com.", password: "Enter your password." },
      values: { email: "not-an-email" },
    });
    expect(tokenCalls()).toBe(0);
  });

  it("never echoes the password back", async () => {
    const response = await signIn({ email: DEMO.ada.email, password: "wrong-secret-password" });
    expect(await response.text()).not.toContain("wrong-secret-password");
  });

  it("refuses a body over 16 KB with 413, without calling Auth", async () => {
    const response = await signIn({ email: DEMO.ada.email, password: "x".repeat(17 * 1024) });
    expect(response.status).toBe(413);
    expect(tokenCalls()).toBe(0);
  });

  it("refuses an oversized chunked body that announces no length", async () => {
    const big = new TextEncoder().encode(`email=a%40b.c&password=${"x".repeat(20 * 1024)}`);
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(big);
        controller.close();
      },
    });
    const request = new Request("http://localhost:3000/login", {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      duplex: "half",
    } as RequestInit);
    expect((await call(action, request)).status).toBe(413);
  });

  it("limits failures per e-mail: the 11th attempt in the window is 429 with Retry-After, even with the right password", async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await signIn({ email: DEMO.ada.email, password: "wrong" })).status).toBe(401);
    }
    const limited = await signIn({ email: DEMO.ada.email, password: DEMO.ada.password });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: "limited", message: expect.stringContaining("Too many attempts") });
    // Another customer is not affected.
    expect((await signIn({ email: DEMO.grace.email, password: DEMO.grace.password })).status).toBe(302);
  });

  it("limits failures per client IP across e-mails", async () => {
    const context = testContext({ clientIp: "198.51.100.9" });
    for (let attempt = 0; attempt < 100; attempt++) {
      await getSessionRuntime().rateLimiter.hit("sign-in:ip:198.51.100.9", 100, 900_000);
    }
    const limited = await signIn({ email: DEMO.grace.email, password: DEMO.grace.password }, context);
    expect(limited.status).toBe(429);
    const otherIp = await signIn({ email: DEMO.grace.email, password: DEMO.grace.password });
    expect(otherIp.status).toBe(302);
  });

  it("says so, without a stack, when Auth is down", async () => {
    standins.configure({ failureRate: { auth: 1 } });
    const response = await signIn({ email: DEMO.ada.email, password: DEMO.ada.password });
    expect(response.status).toBe(503);
    const body = await response.text();
    expect(body).toContain("We can't sign you in right now");
    expect(body).not.toMatch(/at .*\.ts|Error:|127\.0\.0\.1/);
  });

  it("starts a new session id at every sign-in and ends the old one (no fixation)", async () => {
    const first = await signInAs("ada");
    const again = await call(action, buildRequest("/login", { form: { ...DEMO.ada }, cookie: first }));
    const second = cookieFrom(again);
    expect(second).not.toBe(first);
    const runtime = getSessionRuntime();
    const read = (cookie: string) => runtime.store.read(buildRequest("/", { cookie }), false);
    const [a, b] = [await read(first), await read(second)];
    expect(a?.id).not.toBe(b?.id);
    await expect(runtime.revocations.isRevoked(a ?? { id: "", createdAt: 0 })).resolves.toBe(true);
  });
});

describe("GET /login", () => {
  it("sends a signed-in customer on to where they were going", async () => {
    const cookie = await signInAs("ada");
    const response = await call(loader, buildRequest("/login?redirectTo=/profile", { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/profile");
  });

  it("keeps a valid redirectTo for the form and explains an expired session", async () => {
    const response = await call(loader, buildRequest("/login?redirectTo=/profile&reason=expired"));
    expect(await response.json()).toEqual({
      redirectTo: "/profile",
      notice: "Your session has ended. Please sign in again.",
    });
  });
});
