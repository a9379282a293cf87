import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { RETRY_DELAYS_MS } from "./backchannel";
import { ACCESS_TOKEN_ISSUER, BACKCHANNEL_LOGOUT_EVENT } from "./jwt";
import { ADA, GRACE, TEST_CLIENT, bearer, getMe, login, postJson, refresh, startTestStandins, type TestStandins } from "./test-support";

/** The client's back-channel endpoint: records each POST and answers with `status`. */
interface Receiver {
  url: string;
  received: { contentType: string | undefined; origin: string | undefined; token: string }[];
  status: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: "", received: [], status: 200, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      receiver.received.push({
        contentType: req.headers["content-type"],
        origin: req.headers.origin,
        token: new URLSearchParams(body).get("logout_token") ?? "",
      });
      res.writeHead(receiver.status, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/backchannel-logout`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

let standins: TestStandins;
let receiver: Receiver;

beforeAll(async () => {
  standins = await startTestStandins();
  receiver = await startReceiver();
});
beforeEach(() => {
  standins.setBackchannelLogoutUrl(receiver.url);
  receiver.received.length = 0;
  receiver.status = 200;
});
afterEach(() => standins.restore());
afterAll(async () => {
  await standins.close();
  await receiver.close();
});

const jwks = async () => (await (await fetch(`${standins.urls.auth}/.well-known/jwks.json`)).json()) as JSONWebKeySet;

const changePassword = (accessToken: string, body: unknown) => postJson(`${standins.urls.auth}/v1/password`, body, bearer(accessToken));

const devLogout = (email: string) => fetch(`${standins.urls.auth}/dev/users/${encodeURIComponent(email)}/logout`, { method: "POST" });

async function deliveries() {
  const response = await fetch(`${standins.urls.auth}/dev/backchannel`);
  return ((await response.json()) as { deliveries: { url: string; logoutToken: string; status: number | null; sentAt: string }[] }).deliveries;
}

describe("logins as sessions", () => {
  it("gives every login its own sid, kept across refreshes", async () => {
    const first = await login(standins);
    const second = await login(standins);
    const sid = decodeJwt(first.access_token).sid;
    expect(sid).toMatch(/^grt_/);
    expect(decodeJwt(second.access_token).sid).not.toBe(sid);
    const refreshed = (await (await refresh(standins, first.refresh_token)).json()) as { access_token: string };
    expect(decodeJwt(refreshed.access_token).sid).toBe(sid);
  });
});

describe("POST /v1/password", () => {
  it("changes the password (204), ends every other login with a logout token each, and keeps this one", async () => {
    const mine = await login(standins);
    const other = await login(standins);
    const third = await login(standins);
    const graces = await login(standins, GRACE);
    const response = await changePassword(mine.access_token, { currentPassword: ADA.password, newPassword: "A-much-longer-one-2026" });
    expect(response.status).toBe(204);

    // The first attempts were answered before the 204.
    expect(receiver.received).toHaveLength(2);
    const sids = receiver.received.map((delivery) => decodeJwt(delivery.token).sid).sort();
    expect(sids).toEqual([decodeJwt(other.access_token).sid, decodeJwt(third.access_token).sid].sort());
    expect((await getMe(standins, mine.access_token)).status).toBe(200);
    expect((await getMe(standins, other.access_token)).status).toBe(401);
    expect((await refresh(standins, other.refresh_token)).status).toBe(400);
    expect((await getMe(standins, graces.access_token)).status).toBe(200);

    const old = await fetch(`${standins.urls.auth}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${TEST_CLIENT.clientId}:${TEST_CLIENT.clientSecret}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "password", username: ADA.email, password: ADA.password }),
    });
    expect(old.status).toBe(400);
    await login(standins, { email: ADA.email, password: "A-much-longer-one-2026" });
  });

  it("answers a wrong current password with 400 invalid_password and ends nothing", async () => {
    const mine = await login(standins);
    const other = await login(standins);
    const response = await changePassword(mine.access_token, { currentPassword: "wrong", newPassword: "A-much-longer-one-2026" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_password" });
    expect((await getMe(standins, other.access_token)).status).toBe(200);
    expect(receiver.received).toHaveLength(0);
  });

  it("answers a new password under 12 characters with 400 weak_password", async () => {
    const mine = await login(standins);
    const response = await changePassword(mine.access_token, { currentPassword: ADA.password, newPassword: "short-11chr" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "weak_password" });
    await login(standins);
  });

  it("needs a live access token (401 invalid_token) and a JSON body (400)", async () => {
    expect((await changePassword("nope", { currentPassword: ADA.password, newPassword: "A-much-longer-one-2026" })).status).toBe(401);
    const mine = await login(standins);
    expect((await changePassword(mine.access_token, "not json")).status).toBe(400);
  });
});

describe("logout tokens", () => {
  it("are ES256 with the JWKS kid and typ logout+jwt, with exactly the contract's claims", async () => {
    const tokens = await login(standins);
    expect((await devLogout(ADA.email)).status).toBe(202);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(delivery?.origin).toBeUndefined();
    const token = delivery?.token ?? "";
    const header = decodeProtectedHeader(token);
    const keys = await jwks();
    expect(header).toEqual({ alg: "ES256", kid: keys.keys[0]?.kid, typ: "logout+jwt" });
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys), {
      algorithms: ["ES256"],
      typ: "logout+jwt",
      issuer: ACCESS_TOKEN_ISSUER,
      audience: TEST_CLIENT.clientId,
      currentDate: new Date(standins.clock.now),
    });
    expect(Object.keys(payload).sort()).toEqual(["aud", "events", "exp", "iat", "iss", "jti", "sid", "sub"]);
    expect(payload.iat).toBe(Math.floor(standins.clock.now / 1000));
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(120);
    expect(payload.sid).toBe(decodeJwt(tokens.access_token).sid);
    expect(payload.sub).toBe(decodeJwt(tokens.access_token).sub);
    expect(payload.events).toEqual({ [BACKCHANNEL_LOGOUT_EVENT]: {} });
    expect(payload).not.toHaveProperty("nonce");
  });

  it("POST /dev/users/{email}/logout ends every login of that customer (202), one token each; unknown → 404", async () => {
    const logins = [await login(standins), await login(standins), await login(standins)];
    const grace = await login(standins, GRACE);
    const response = await devLogout("ADA@example.com");
    expect(response.status).toBe(202);
    for (const tokens of logins) expect((await getMe(standins, tokens.access_token)).status).toBe(401);
    expect((await getMe(standins, grace.access_token)).status).toBe(200);
    expect(new Set(receiver.received.map((delivery) => decodeJwt(delivery.token).jti)).size).toBe(3);
    expect((await devLogout("nobody@example.com")).status).toBe(404);
  });

  it("GET /dev/backchannel lists each token sent and the client's answer, newest first", async () => {
    await login(standins);
    await devLogout(ADA.email);
    await login(standins, GRACE);
    receiver.status = 400;
    await devLogout(GRACE.email);
    const listed = await deliveries();
    expect(listed).toHaveLength(2);
    expect(listed.map((delivery) => Object.keys(delivery).sort())).toEqual([
      ["logoutToken", "sentAt", "status", "url"],
      ["logoutToken", "sentAt", "status", "url"],
    ]);
    expect(listed[0]?.status).toBe(400);
    expect(decodeJwt(listed[0]?.logoutToken ?? "").sub).toBe(decodeJwt(receiver.received[1]?.token ?? "").sub);
    expect(listed[1]?.status).toBe(200);
    expect(listed[1]?.url).toBe(receiver.url);
  });

  it("retries a delivery that fails (5xx, no answer) with back-off, and not one the client refused with 400", async () => {
    await login(standins);
    receiver.status = 503;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await devLogout(ADA.email);
    expect(receiver.received).toHaveLength(1);
    receiver.status = 200;
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: RETRY_DELAYS_MS[0] + 1_000 });
    expect(receiver.received[1]?.token).toBe(receiver.received[0]?.token);
    expect((await deliveries())[0]?.status).toBe(200);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("failed (attempt 1)"));

    standins.setBackchannelLogoutUrl("http://127.0.0.1:1/auth/backchannel-logout");
    await login(standins);
    await devLogout(ADA.email);
    expect((await deliveries())[0]?.status).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("127.0.0.1:1"));
  });

  it("sends nothing without a back-channel URL, but the logins still end", async () => {
    standins.setBackchannelLogoutUrl(undefined);
    const tokens = await login(standins);
    await devLogout(ADA.email);
    expect((await getMe(standins, tokens.access_token)).status).toBe(401);
    expect(await deliveries()).toEqual([]);
  });

  it("POST /dev/logout-tokens signs exactly the given claims (header overrides too), and delivers nothing", async () => {
    const response = await postJson(`${standins.urls.auth}/dev/logout-tokens`, { iss: "someone-else", sub: "usr_x", nonce: "n", header: { typ: "JWT", kid: "other" } });
    expect(response.status).toBe(200);
    const { logoutToken } = (await response.json()) as { logoutToken: string };
    expect(decodeJwt(logoutToken)).toEqual({ iss: "someone-else", sub: "usr_x", nonce: "n" });
    expect(decodeProtectedHeader(logoutToken)).toEqual({ alg: "ES256", kid: "other", typ: "JWT" });
    expect(receiver.received).toHaveLength(0);
    const plain = (await (await postJson(`${standins.urls.auth}/dev/logout-tokens`, { sid: "grt_1" })).json()) as { logoutToken: string };
    await expect(jwtVerify(plain.logoutToken, createLocalJWKSet(await jwks()), { typ: "logout+jwt" })).resolves.toBeDefined();
    expect((await postJson(`${standins.urls.auth}/dev/logout-tokens`, "[1]")).status).toBe(400);
  });
});
