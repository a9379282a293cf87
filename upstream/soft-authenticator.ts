import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

/**
 * A software passkey authenticator for tests: what a phone or a laptop's platform
 * authenticator does, with node:crypto. It makes real 'none' attestations and
 * ES256 assertions, so the stand-in's checks (and @simplewebauthn/server's) run for
 * real; every field that a check looks at can be bent to test a refusal.
 */

// RFC 8949 CBOR, just the types a WebAuthn attestation needs.
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor> | Record<string, unknown>;

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error("cbor: only integers");
    return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  }
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([cborHead(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v as Cbor)])]);
}

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

function counterBytes(counter: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter);
  return bytes;
}

/** The PublicKeyCredential JSON a browser hands the page (what @simplewebauthn/browser returns). */
function credentialJson<R>(credentialId: string, response: R) {
  return {
    id: credentialId,
    rawId: credentialId,
    type: "public-key" as const,
    response,
    clientExtensionResults: {},
    authenticatorAttachment: "platform" as const,
  };
}

/** What each ceremony may bend, for refusal tests. */
export interface CeremonyTweaks {
  /** The page origin the browser reports; default the authenticator's. */
  origin?: string;
  /** The RP ID the authenticator scopes to; default the authenticator's. */
  rpId?: string;
  /** Whether the user verified (PIN, biometrics); default true. */
  userVerified?: boolean;
  /** Sign over this challenge instead of the one in the options. */
  challenge?: string;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}
interface RequestOptions {
  challenge: string;
  rpId?: string;
}

export interface SoftPasskey {
  credentialId: string;
  /** base64url of the user handle the RP gave at registration. */
  userHandle: string;
}

export class SoftAuthenticator {
  readonly passkeys: (SoftPasskey & { privateKey: KeyObject; counter: number; rpId: string })[] = [];

  constructor(
    readonly origin = "http://localhost:3000",
    readonly rpId = "localhost",
  ) {}

  /** navigator.credentials.create(): a RegistrationResponseJSON for these options. */
  register(options: CreationOptions, tweaks: CeremonyTweaks = {}) {
    const rpId = tweaks.rpId ?? options.rp.id ?? this.rpId;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x ?? "", "base64url")],
      [-3, Buffer.from(jwk.y ?? "", "base64url")],
    ]);
    const credentialId = randomBytes(16);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const flags = FLAG.UP | FLAG.AT | FLAG.BE | FLAG.BS | (tweaks.userVerified === false ? 0 : FLAG.UV);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([flags]),
      counterBytes(0),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      credentialId,
      cbor(coseKey),
    ]);
    const clientData = this.clientData("webauthn.create", tweaks.challenge ?? options.challenge, tweaks.origin);
    const passkey = { credentialId: b64url(credentialId), userHandle: options.user.id, privateKey, counter: 0, rpId };
    this.passkeys.push(passkey);
    return credentialJson(passkey.credentialId, {
      clientDataJSON: b64url(clientData),
      attestationObject: b64url(cbor({ fmt: "none", attStmt: {}, authData })),
      transports: ["internal"],
    });
  }

  /** navigator.credentials.get(): an AuthenticationResponseJSON by `passkey` (default: the newest). */
  assert(options: RequestOptions, tweaks: CeremonyTweaks & { passkey?: SoftPasskey } = {}) {
    const passkey = tweaks.passkey
      ? this.passkeys.find((candidate) => candidate.credentialId === tweaks.passkey?.credentialId)
      : this.passkeys.at(-1);
    if (!passkey) throw new Error("SoftAuthenticator: no passkey to assert with");
    const rpId = tweaks.rpId ?? options.rpId ?? passkey.rpId;
    const flags = FLAG.UP | FLAG.BE | FLAG.BS | (tweaks.userVerified === false ? 0 : FLAG.UV);
    // Like synced passkeys, the counter stays 0.
    const authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([flags]), counterBytes(passkey.counter)]);
    const clientData = this.clientData("webauthn.get", tweaks.challenge ?? options.challenge, tweaks.origin);
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientData)]), passkey.privateKey);
    return credentialJson(passkey.credentialId, {
      clientDataJSON: b64url(clientData),
      authenticatorData: b64url(authenticatorData),
      signature: b64url(signature),
      userHandle: passkey.userHandle,
    });
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}
