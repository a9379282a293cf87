import { http, HttpResponse } from "msw";
import { SoftAuthenticator } from "../../upstream/soft-authenticator";
import { buildRequest, call } from "../../tests/support/remix";
import { signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { action as apiAction } from "../routes/api.$";
import { action, loader } from "../routes/profile";

const CSRF = { "x-csrf": "1" };

async function register(cookie: string, authenticator = new SoftAuthenticator()) {
  const options = await call(apiAction, buildRequest("/api/passkeys/registration/options", { json: {}, cookie, headers: CSRF }));
  const { options: json } = (await options.json()) as { options: Parameters<SoftAuthenticator["register"]>[0] };
  const verify = await call(apiAction, buildRequest("/api/passkeys/registration/verify", { json: { response: authenticator.register(json) }, cookie, headers: CSRF }));
  expect(verify.status).toBe(201);
  return authenticator.passkeys.at(-1)?.credentialId ?? "";
}

async function profile(cookie: string) {
  const response = await call(loader, buildRequest("/profile", { cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as { status: string; passkeys: { status: string; data?: { id: string; createdAtText: string; lastUsedAt: string | null }[]; message?: string } };
}

const remove = (cookie: string, credentialId: string) =>
  call(action, buildRequest("/profile", { cookie, form: { intent: "remove-passkey", credentialId } }));

describe("/profile passkeys", () => {
  it("lists none, then the one added, with its date in the customer's locale", async () => {
    const cookie = await signInAs("grace");
    expect((await profile(cookie)).passkeys).toEqual({ status: "ok", data: [] });
    const id = await register(cookie);
    const { passkeys } = await profile(cookie);
    expect(passkeys.data).toEqual([expect.objectContaining({ id, lastUsedAt: null, createdAtText: expect.any(String) })]);
  });

  it("removes a passkey with a plain form post", async () => {
    const cookie = await signInAs("grace");
    const id = await register(cookie);
    const response = await remove(cookie, id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ passkeyRemoved: true });
    expect((await profile(cookie)).passkeys.data).toEqual([]);
  });

  it("says so when the passkey is not the customer's (or already gone): 404, nothing removed", async () => {
    const graceId = await register(await signInAs("grace"));
    const ada = await signInAs("ada");
    const response = await remove(ada, graceId);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ passkeyError: "That passkey was already removed." });
    expect((await profile(await signInAs("grace"))).passkeys.data).toHaveLength(1);
  });

  it("refuses a removal without an id: 400", async () => {
    const response = await remove(await signInAs("grace"), "");
    expect(response.status).toBe(400);
  });

  it("degrades only the passkeys section when Auth cannot list them, and says so on removal", async () => {
    const cookie = await signInAs("grace");
    standins.use(
      http.get("*/v1/passkeys", () => HttpResponse.json({ error: "down" }, { status: 503 })),
      http.delete("*/v1/passkeys/:id", () => HttpResponse.json({ error: "down" }, { status: 503 })),
    );
    const page = await profile(cookie);
    expect(page.status).toBe("ok");
    expect(page.passkeys).toEqual({ status: "unavailable", message: "Your passkeys are unavailable right now." });
    const response = await remove(cookie, "abc");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ passkeyError: expect.stringContaining("couldn't remove") });
  });
});
