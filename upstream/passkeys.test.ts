import { decodeJwt } from "jose";
import { SoftAuthenticator } from "./soft-authenticator";
import { ADA, GRACE, bearer, createChallenge, getMe, login, postJson, startTestStandins, verifyChallenge, type TestStandins } from "./test-support";

let standins: TestStandins;

beforeAll(async () => {
  standins = await startTestStandins();
});
afterEach(() => standins.restore());
afterAll(() => standins.close());

const auth = (path: string) => `${standins.urls.auth}${path}`;

interface RegistrationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  authenticatorSelection: { residentKey: string; userVerification: string };
  excludeCredentials: { id: string }[];
  attestation: string;
}

async function registrationOptions(accessToken: string): Promise<RegistrationOptions> {
  const response = await postJson(auth("/v1/passkeys/registration/options"), {}, bearer(accessToken));
  expect(response.status).toBe(200);
  return (await response.json()) as RegistrationOptions;
}

/** Signs in with a password and registers a passkey on `authenticator`; returns the access token. */
async function registerPasskey(authenticator: SoftAuthenticator, who: { email: string; password: string } = ADA) {
  const { access_token: accessToken } = await login(standins, who);
  const options = await registrationOptions(accessToken);
  const response = await postJson(
    auth("/v1/passkeys/registration/verify"),
    { response: authenticator.register(options) },
    bearer(accessToken),
  );
  expect(response.status).toBe(201);
  return { accessToken, passkey: (await response.json()) as { credentialId: string; createdAt: string; lastUsedAt: null } };
}

interface SignInOptions {
  options: { challenge: string; rpId: string; userVerification: string; allowCredentials?: unknown[] };
  ceremonyId: string;
}

async function signInOptions(): Promise<SignInOptions> {
  const response = await postJson(auth("/passkeys/authentication/options"), {});
  expect(response.status).toBe(200);
  return (await response.json()) as SignInOptions;
}

function signInVerify(ceremonyId: string, response: unknown) {
  return postJson(auth("/passkeys/authentication/verify"), { ceremonyId, response });
}

describe("passkey registration (Bearer)", () => {
  it("offers options for the signed-in customer: discoverable, user verification required, no attestation", async () => {
    const { access_token: accessToken } = await login(standins, ADA);
    const options = await registrationOptions(accessToken);
    expect(options.rp).toEqual({ id: "localhost", name: "Northwind Bank" });
    expect(options.user.name).toBe(ADA.email);
    expect(options.user.displayName).toBe("Ada Lovelace");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.attestation).toBe("none");
    expect(options.excludeCredentials).toEqual([]);
  });

  it("registers a passkey: 201 with its id and date, listed afterwards and excluded from the next options", async () => {
    const authenticator = new SoftAuthenticator();
    const { accessToken, passkey } = await registerPasskey(authenticator);
    expect(passkey).toEqual({
      credentialId: authenticator.passkeys[0]?.credentialId,
      createdAt: new Date(standins.clock.now).toISOString(),
      lastUsedAt: null,
      transports: ["internal"],
    });
    const list = await fetch(auth("/v1/passkeys"), { headers: bearer(accessToken) });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ passkeys: [passkey] });
    expect((await registrationOptions(accessToken)).excludeCredentials.map((c) => c.id)).toEqual([passkey.credentialId]);
  });

  it("lists only the customer's own passkeys", async () => {
    await registerPasskey(new SoftAuthenticator(), ADA);
    const { access_token: graceToken } = await login(standins, GRACE);
    const list = await fetch(auth("/v1/passkeys"), { headers: bearer(graceToken) });
    expect(await list.json()).toEqual({ passkeys: [] });
  });

  it.each([
    ["options", "/v1/passkeys/registration/options", "POST"],
    ["verify", "/v1/passkeys/registration/verify", "POST"],
    ["list", "/v1/passkeys", "GET"],
    ["remove", "/v1/passkeys/abc", "DELETE"],
  ])("refuses %s without a valid bearer token: 401 invalid_token", async (_name, path, method) => {
    const response = await fetch(auth(path), { method, headers: bearer("not-a-token") });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_token" });
  });

  it.each([
    ["from another origin", { origin: "https://evil.example" }],
    ["for another RP ID", { rpId: "evil.example" }],
    ["without user verification", { userVerified: false }],
    ["over another challenge", { challenge: Buffer.from("another challenge").toString("base64url") }],
  ])("refuses a registration %s and stores nothing", async (_name, tweaks) => {
    const { access_token: accessToken } = await login(standins, ADA);
    const options = await registrationOptions(accessToken);
    const response = await postJson(
      auth("/v1/passkeys/registration/verify"),
      { response: new SoftAuthenticator().register(options, tweaks) },
      bearer(accessToken),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.any(String) });
    const list = await fetch(auth("/v1/passkeys"), { headers: bearer(accessToken) });
    expect(await list.json()).toEqual({ passkeys: [] });
  });

  it("spends the challenge: the same response again is refused, as is one after the options expired", async () => {
    const authenticator = new SoftAuthenticator();
    const { access_token: accessToken } = await login(standins, ADA);
    const options = await registrationOptions(accessToken);
    const registration = authenticator.register(options);
    const first = await postJson(auth("/v1/passkeys/registration/verify"), { response: registration }, bearer(accessToken));
    expect(first.status).toBe(201);
    const again = await postJson(auth("/v1/passkeys/registration/verify"), { response: registration }, bearer(accessToken));
    expect(again.status).toBe(400);

    const late = await registrationOptions(accessToken);
    standins.clock.now += 5 * 60_000 + 1;
    const { access_token: fresh } = await login(standins, ADA); // the first token has expired as well
    const expired = await postJson(
      auth("/v1/passkeys/registration/verify"),
      { response: new SoftAuthenticator().register(late) },
      bearer(fresh),
    );
    expect(expired.status).toBe(400);
  });

  it("answers a malformed body with 400 {message}", async () => {
    const { access_token: accessToken } = await login(standins, ADA);
    for (const body of ["not json", { response: { id: "x" } }, {}]) {
      const response = await postJson(auth("/v1/passkeys/registration/verify"), body, bearer(accessToken));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
  });

  it("removes a passkey (204) only for its owner; another customer gets 404", async () => {
    const { accessToken, passkey } = await registerPasskey(new SoftAuthenticator());
    const { access_token: graceToken } = await login(standins, GRACE);
    const path = auth(`/v1/passkeys/${passkey.credentialId}`);
    expect((await fetch(path, { method: "DELETE", headers: bearer(graceToken) })).status).toBe(404);
    expect((await fetch(path, { method: "DELETE", headers: bearer(accessToken) })).status).toBe(204);
    expect((await fetch(path, { method: "DELETE", headers: bearer(accessToken) })).status).toBe(404);
    const list = await fetch(auth("/v1/passkeys"), { headers: bearer(accessToken) });
    expect(await list.json()).toEqual({ passkeys: [] });
  });

  it("forgets passkeys on reset()", async () => {
    const { accessToken } = await registerPasskey(new SoftAuthenticator());
    standins.reset();
    const { access_token: fresh } = await login(standins, ADA);
    expect(accessToken).not.toBe(fresh);
    const list = await fetch(auth("/v1/passkeys"), { headers: bearer(fresh) });
    expect(await list.json()).toEqual({ passkeys: [] });
  });
});

describe("passkey sign-in (usernameless)", () => {
  it("offers options with no allowCredentials, user verification required, and a ceremony id", async () => {
    const { options, ceremonyId } = await signInOptions();
    expect(ceremonyId).toMatch(/^wac_/);
    expect(options.rpId).toBe("localhost");
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials ?? []).toEqual([]);
  });

  it("signs in: 200 {token, refreshToken, expiresIn} like /passwordless/verify, a new login for that customer", async () => {
    const authenticator = new SoftAuthenticator();
    const { accessToken: registeredWith } = await registerPasskey(authenticator);
    const { options, ceremonyId } = await signInOptions();
    const response = await signInVerify(ceremonyId, authenticator.assert(options));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { token: string; refreshToken: string; expiresIn: number };
    expect(Object.keys(body).sort()).toEqual(["expiresIn", "refreshToken", "token"]);
    expect(body.expiresIn).toBe(300);
    const claims = decodeJwt(body.token);
    expect(claims.sub).toBe(decodeJwt(registeredWith).sub);
    expect(claims.sid).not.toBe(decodeJwt(registeredWith).sid);
    expect((await getMe(standins, body.token)).status).toBe(200);

    const list = await fetch(auth("/v1/passkeys"), { headers: bearer(body.token) });
    const { passkeys } = (await list.json()) as { passkeys: { lastUsedAt: string | null }[] };
    expect(passkeys[0]?.lastUsedAt).toBe(new Date(standins.clock.now).toISOString());
  });

  it("signs Grace in as Grace", async () => {
    const authenticator = new SoftAuthenticator();
    await registerPasskey(authenticator, GRACE);
    const { access_token: graceToken } = await login(standins, GRACE);
    const { options, ceremonyId } = await signInOptions();
    const body = (await (await signInVerify(ceremonyId, authenticator.assert(options))).json()) as { token: string };
    expect(decodeJwt(body.token).sub).toBe(decodeJwt(graceToken).sub);
  });

  it.each([
    ["from another origin", { origin: "https://evil.example" }],
    ["for another RP ID", { rpId: "evil.example" }],
    ["without user verification", { userVerified: false }],
    ["over another challenge", { challenge: Buffer.from("another challenge").toString("base64url") }],
  ])("refuses an assertion %s: 401 {message}", async (_name, tweaks) => {
    const authenticator = new SoftAuthenticator();
    await registerPasskey(authenticator);
    const { options, ceremonyId } = await signInOptions();
    const response = await signInVerify(ceremonyId, authenticator.assert(options, tweaks));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: "The passkey could not be verified." });
  });

  it("refuses a reused ceremony: the second verify of the same assertion is 401", async () => {
    const authenticator = new SoftAuthenticator();
    await registerPasskey(authenticator);
    const { options, ceremonyId } = await signInOptions();
    const assertion = authenticator.assert(options);
    expect((await signInVerify(ceremonyId, assertion)).status).toBe(200);
    expect((await signInVerify(ceremonyId, assertion)).status).toBe(401);
  });

  it("spends the ceremony on a failed attempt too", async () => {
    const authenticator = new SoftAuthenticator();
    await registerPasskey(authenticator);
    const { options, ceremonyId } = await signInOptions();
    expect((await signInVerify(ceremonyId, authenticator.assert(options, { userVerified: false }))).status).toBe(401);
    expect((await signInVerify(ceremonyId, authenticator.assert(options))).status).toBe(401);
  });

  it("refuses an assertion after the ceremony expired", async () => {
    const authenticator = new SoftAuthenticator();
    await registerPasskey(authenticator);
    const { options, ceremonyId } = await signInOptions();
    standins.clock.now += 5 * 60_000 + 1;
    expect((await signInVerify(ceremonyId, authenticator.assert(options))).status).toBe(401);
  });

  it("refuses an unknown credential, a removed one and a forged signature", async () => {
    const stranger = new SoftAuthenticator();
    stranger.register({ challenge: "x", rp: { id: "localhost" }, user: { id: "usr_nobody" } });
    const first = await signInOptions();
    expect((await signInVerify(first.ceremonyId, stranger.assert(first.options))).status).toBe(401);

    const authenticator = new SoftAuthenticator();
    const { accessToken, passkey } = await registerPasskey(authenticator);
    const second = await signInOptions();
    const forged = authenticator.assert(second.options);
    forged.response.signature = stranger.assert(second.options).response.signature;
    expect((await signInVerify(second.ceremonyId, forged)).status).toBe(401);

    await fetch(auth(`/v1/passkeys/${passkey.credentialId}`), { method: "DELETE", headers: bearer(accessToken) });
    const third = await signInOptions();
    expect((await signInVerify(third.ceremonyId, authenticator.assert(third.options))).status).toBe(401);
  });

  it("refuses an assertion whose user handle names another customer", async () => {
    const authenticator = new SoftAuthenticator();
    await registerPasskey(authenticator);
    const { options, ceremonyId } = await signInOptions();
    const assertion = authenticator.assert(options);
    assertion.response.userHandle = Buffer.from("usr_someone_else").toString("base64url");
    expect((await signInVerify(ceremonyId, assertion)).status).toBe(401);
  });

  it("answers a malformed body with 400 {message}", async () => {
    for (const body of ["{", { ceremonyId: "x" }, { ceremonyId: "x", response: { id: "y" } }]) {
      const response = await postJson(auth("/passkeys/authentication/verify"), body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
  });
});

describe("AUTH_WEBAUTHN_ORIGINS and AUTH_WEBAUTHN_RP_ID", () => {
  it("accepts the configured origins and RP ID, and no longer the defaults", async () => {
    const other = await startTestStandins({ webauthn: { rpId: "bank.example", origins: ["https://bank.example"] } });
    try {
      const { access_token: accessToken } = await login(other, ADA);
      const verify = async (authenticator: SoftAuthenticator) => {
        const options = (await (await postJson(`${other.urls.auth}/v1/passkeys/registration/options`, {}, bearer(accessToken))).json()) as RegistrationOptions;
        expect(options.rp.id).toBe("bank.example");
        return postJson(`${other.urls.auth}/v1/passkeys/registration/verify`, { response: authenticator.register(options) }, bearer(accessToken));
      };
      expect((await verify(new SoftAuthenticator("http://localhost:3000", "bank.example"))).status).toBe(400);
      expect((await verify(new SoftAuthenticator("https://bank.example", "bank.example"))).status).toBe(201);
    } finally {
      await other.close();
    }
  });
});

describe("payment challenges answered with a passkey", () => {
  const PAYMENT = { amount: "250.00", currency: "USD", creditorIban: "DE89370400440532013000", creditorName: "Ada Lovelace" };

  /** Grace with a passkey and a payment challenge of hers. */
  async function challenged() {
    const authenticator = new SoftAuthenticator();
    const { accessToken } = await registerPasskey(authenticator, GRACE);
    const created = await createChallenge(standins, accessToken, PAYMENT);
    expect(created.status).toBe(201);
    const { challengeId } = (await created.json()) as { challengeId: string };
    return { authenticator, accessToken, challengeId };
  }

  function passkeyOptions(accessToken: string, challengeId: string) {
    return postJson(auth(`/v1/sca/challenges/${challengeId}/passkey/options`), {}, bearer(accessToken));
  }

  async function optionsFor(accessToken: string, challengeId: string) {
    const response = await passkeyOptions(accessToken, challengeId);
    expect(response.status).toBe(200);
    return ((await response.json()) as { options: { challenge: string; rpId: string; userVerification: string; allowCredentials: { id: string }[] } }).options;
  }

  it("offers options for the customer's own passkeys, user verification required; the assertion gets the scaToken that pays", async () => {
    const { authenticator, accessToken, challengeId } = await challenged();
    const options = await optionsFor(accessToken, challengeId);
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials.map((credential) => credential.id)).toEqual([authenticator.passkeys[0]?.credentialId]);
    const verified = await verifyChallenge(standins, accessToken, challengeId, { assertion: authenticator.assert(options) });
    expect(verified.status).toBe(200);
    const { scaToken, expiresIn } = (await verified.json()) as { scaToken: string; expiresIn: number };
    expect(expiresIn).toBe(120);
    const paid = await postJson(`${standins.urls.payments}/v2/payments`, PAYMENT, {
      authorization: `Bearer ${accessToken}`,
      "idempotency-key": "passkey-confirmed-1",
      "sca-token": scaToken,
    });
    expect(paid.status).toBe(201);
    // One use: the challenge is spent.
    const again = await verifyChallenge(standins, accessToken, challengeId, { assertion: authenticator.assert(options) });
    expect(again.status).toBe(410);
  });

  it("binds the WebAuthn challenge to the payment: a fresh one per options call, never a sign-in one", async () => {
    const { authenticator, accessToken, challengeId } = await challenged();
    const first = await optionsFor(accessToken, challengeId);
    const second = await optionsFor(accessToken, challengeId);
    expect(second.challenge).not.toBe(first.challenge);
    // The first options were superseded; a sign-in ceremony's challenge is no payment's either.
    expect((await verifyChallenge(standins, accessToken, challengeId, { assertion: authenticator.assert(first) })).status).toBe(401);
    const signIn = await signInOptions();
    expect((await verifyChallenge(standins, accessToken, challengeId, { assertion: authenticator.assert(signIn.options) })).status).toBe(401);
  });

  it.each([
    ["from another origin", { origin: "https://evil.example" }],
    ["without user verification", { userVerified: false }],
  ])("refuses an assertion %s: 401, counted as a wrong try", async (_name, tweaks) => {
    const { authenticator, accessToken, challengeId } = await challenged();
    for (let attempt = 0; attempt < 5; attempt++) {
      const options = await optionsFor(accessToken, challengeId);
      const response = await verifyChallenge(standins, accessToken, challengeId, { assertion: authenticator.assert(options, tweaks) });
      expect(response.status).toBe(401);
    }
    // Five wrong answers: the challenge is dead for codes and passkeys alike.
    expect((await passkeyOptions(accessToken, challengeId)).status).toBe(410);
  });

  it("refuses a replayed assertion: the WebAuthn challenge is spent by its first use", async () => {
    const { authenticator, accessToken, challengeId } = await challenged();
    const options = await optionsFor(accessToken, challengeId);
    const assertion = authenticator.assert(options, { userVerified: false });
    expect((await verifyChallenge(standins, accessToken, challengeId, { assertion })).status).toBe(401);
    const good = authenticator.assert(options);
    expect((await verifyChallenge(standins, accessToken, challengeId, { assertion: good })).status).toBe(401);
  });

  it("answers 409 when the customer has no passkey, 404 for another customer's challenge, 400 for a malformed assertion", async () => {
    const { access_token: adaToken } = await login(standins, ADA);
    const created = await createChallenge(standins, adaToken, { amount: "250.00", currency: "EUR", creditorIban: PAYMENT.creditorIban, creditorName: "Grace" });
    const { challengeId: adaChallenge } = (await created.json()) as { challengeId: string };
    expect((await passkeyOptions(adaToken, adaChallenge)).status).toBe(409);

    const { accessToken, challengeId } = await challenged();
    expect((await passkeyOptions(accessToken, adaChallenge)).status).toBe(404);
    expect((await passkeyOptions(adaToken, challengeId)).status).toBe(404);
    const malformed = await verifyChallenge(standins, accessToken, challengeId, { assertion: { id: "x" } });
    expect(malformed.status).toBe(400);
  });
});
