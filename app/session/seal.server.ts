import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Authenticated encryption for what the session cookie carries (AES-256-GCM).
 * One key per secret, derived with HKDF; the first secret seals, every secret
 * opens, so prepending a new secret rotates keys without signing anyone out.
 *
 * Format (base64url): version(1) | keyId(4) | iv(12) | tag(16) | ciphertext.
 * The key id is a short hash of the key, so opening tries only the right key.
 */

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 4;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

interface Key {
  id: Buffer;
  key: Buffer;
}

export interface Sealer {
  seal(plaintext: string): string;
  /** The plaintext, or undefined for anything tampered, truncated or sealed with an unknown secret. */
  open(sealed: string): string | undefined;
}

export function createSealer(secrets: readonly string[], purpose: string): Sealer {
  if (secrets.length === 0) throw new Error("createSealer needs at least one secret");
  const keys: Key[] = secrets.map((secret) => {
    const key = Buffer.from(hkdfSync("sha256", secret, "northwind-bff", `${purpose}:aes-256-gcm`, 32));
    const id = Buffer.from(hkdfSync("sha256", key, "", "key-id", KEY_ID_BYTES));
    return { id, key };
  });
  const [sealing] = keys as [Key, ...Key[]];
  const additionalData = Buffer.from(purpose);

  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", sealing.key, iv);
      cipher.setAAD(additionalData);
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), sealing.id, iv, cipher.getAuthTag(), ciphertext]).toString(
        "base64url",
      );
    },

    open(sealed) {
      const bytes = Buffer.from(sealed, "base64url");
      if (bytes.length < HEADER_BYTES || bytes[0] !== VERSION) return undefined;
      const keyId = bytes.subarray(1, 1 + KEY_ID_BYTES);
      const match = keys.find((candidate) => candidate.id.equals(keyId));
      if (!match) return undefined;
      const iv = bytes.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + IV_BYTES);
      const tag = bytes.subarray(1 + KEY_ID_BYTES + IV_BYTES, HEADER_BYTES);
      try {
        const decipher = createDecipheriv("aes-256-gcm", match.key, iv);
        decipher.setAAD(additionalData);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(bytes.subarray(HEADER_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        return undefined;
      }
    },
  };
}
