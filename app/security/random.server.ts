import { randomFillSync } from "node:crypto";

/**
 * Random ids (CSP nonces, trace and span ids) from one pre-filled block of the
 * system CSPRNG, refilled when used up: one call into OpenSSL per 4 KB instead
 * of one per id, as Node's own randomUUID does.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

function take(bytes: number): Buffer {
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > POOL_BYTES) {
    throw new RangeError(`a whole number of random bytes from 0 to ${POOL_BYTES}, not ${bytes}`);
  }
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const slice = pool.subarray(offset, offset + bytes);
  offset += bytes;
  return slice;
}

export function randomHex(bytes: number): string {
  return take(bytes).toString("hex");
}

export function randomBase64(bytes: number): string {
  return take(bytes).toString("base64");
}
