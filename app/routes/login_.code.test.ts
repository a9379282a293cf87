import { buildRequest, call, cookieFrom, testContext } from "../../tests/support/remix";
import { DEMO } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { loader as dashboardLoader } from "./dashboard";
import { action } from "./login_.code";

const post = (form: Record<string, string>, context = testContext()) =>
  call(action, buildRequest("/login/code", { form }), { context });

describe("POST /login/code", () => {
  it("sends a code and answers the same for known and unknown addresses (no enumeration)", async () => {
    const known = await post({ intent: "send", email: DEMO.ada.email });
    const unknown = await post({ intent: "send", email: "nobody@example.com" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(await known.json()).toEqual({ status: "code-sent", values: { email: DEMO.ada.email } });
    expect(await unknown.json()).toEqual({ status: "code-sent", values: { email: "nobody@example.com" } });
    expect(standins.outbox(DEMO.ada.email)).toHaveLength(1);
  });

  it("signs in with the e-mailed code and goes to redirectTo", async () => {
    await post({ intent: "send", email: DEMO.grace.email });
    const [code = ""] = standins.outbox(DEMO.grace.email);
    const response = await post({ intent: "verify", email: DEMO.grace.email, code, redirectTo: "/profile" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/profile");
    const page = await call(dashboardLoader, buildRequest("/dashboard", { cookie: cookieFrom(response) }));
    expect((await page.json()).customer.data.fullName).toBe("Grace Hopper");
  });

  it("refuses a wrong code with 401 and a message, and sets no cookie", async () => {
    await post({ intent: "send", email: DEMO.ada.email });
    const [code = "000000"] = standins.outbox(DEMO.ada.email);
    const wrong = code === "123456" ? "654321" : "123456";
    const response = await post({ intent: "verify", email: DEMO.ada.email, code: wrong });
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.json()).toMatchObject({ status: "refused", message: expect.stringContaining("incorrect or has expired") });
  });

  it("validates the e-mail and the code's shape with 400", async () => {
    expect((await post({ intent: "send", email: "nope" })).status).toBe(400);
    const badCode = await post({ intent: "verify", email: DEMO.ada.email, code: "12ab" });
    expect(badCode.status).toBe(400);
    expect(await badCode.json()).toMatchObject({ fieldErrors: { code: "Enter the 6-digit code from the email." } });
    expect((await post({ intent: "something-else" })).status).toBe(400);
  });

  it("limits code requests per e-mail with 429 and Retry-After", async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await post({ intent: "send", email: DEMO.ada.email })).status).toBe(200);
    }
    const limited = await post({ intent: "send", email: DEMO.ada.email });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("limits wrong codes per e-mail", async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      await post({ intent: "verify", email: DEMO.ada.email, code: "000001" });
    }
    await post({ intent: "send", email: DEMO.ada.email });
    const [code = ""] = standins.outbox(DEMO.ada.email);
    expect((await post({ intent: "verify", email: DEMO.ada.email, code })).status).toBe(429);
  });
});
