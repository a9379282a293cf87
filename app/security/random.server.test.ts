import { randomBase64, randomHex } from "./random.server";

/** Random ids (CSP nonces, trace and span ids) from a pooled CSPRNG block of 4096 bytes. */
const POOL_BYTES = 4096;

describe("randomHex and randomBase64", () => {
  it("encode exactly the bytes asked for", () => {
    for (const bytes of [1, 8, 16, 32, 100]) {
      expect(randomHex(bytes)).toMatch(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
      const base64 = randomBase64(bytes);
      expect(base64).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(base64, "base64")).toHaveLength(bytes);
    }
    expect(randomBase64(16)).toHaveLength(24);
    expect(randomBase64(3)).toHaveLength(4);
    expect(randomHex(0)).toBe("");
  });

  it("never repeat an id across many calls, through several refills of the pool", () => {
    // 1,000 × 16 bytes is almost four pools: every refill boundary is crossed.
    const ids = Array.from({ length: 1000 }, () => randomHex(16));
    expect(new Set(ids).size).toBe(ids.length);
    const nonces = Array.from({ length: 1000 }, () => randomBase64(16));
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it("give consecutive calls different bytes, not overlapping slices of the pool", () => {
    const ids = Array.from({ length: 600 }, () => randomHex(8));
    for (let i = 1; i < ids.length; i++) expect(ids[i]).not.toBe(ids[i - 1]);
    // Each 8-byte id is a fresh slice: no id reappears inside a later, longer one.
    const later = randomHex(1024);
    for (const id of ids.slice(-100)) expect(later).not.toContain(id);
  });

  it("serves a request that does not fit in what is left of the pool from a fresh fill, whole", () => {
    const first = randomHex(POOL_BYTES - 10);
    const straddling = randomHex(64);
    expect(straddling).toMatch(/^[0-9a-f]{128}$/);
    expect(first).not.toContain(straddling.slice(0, 32));
    expect(randomHex(POOL_BYTES)).toHaveLength(POOL_BYTES * 2);
    expect(randomBase64(POOL_BYTES)).toHaveLength(Math.ceil(POOL_BYTES / 3) * 4);
  });

  it("returns strings that later calls cannot change (no view into the reused pool)", () => {
    const id = randomHex(16);
    const copy = `${id}`;
    for (let i = 0; i < 600; i++) randomHex(16);
    expect(id).toBe(copy);
  });

  it("refuses more than one pool at once with a RangeError", () => {
    expect(() => randomHex(POOL_BYTES + 1)).toThrow(RangeError);
    expect(() => randomBase64(POOL_BYTES + 1)).toThrow(RangeError);
    // And the pool still works afterwards.
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("is random from the very first call of a fresh process, not the zeroed pool", async () => {
    vi.resetModules();
    const fresh = await import("./random.server");
    const first = Buffer.from(fresh.randomHex(POOL_BYTES), "hex");
    expect(first.equals(Buffer.alloc(POOL_BYTES))).toBe(false);
    // 4096 uniform bytes hit nearly all of the 256 values; a constant or a counter would not.
    expect(new Set(first).size).toBeGreaterThan(200);
    const zeros = first.filter((byte) => byte === 0).length;
    expect(zeros).toBeLessThan(64);
  });

  it("looks uniform over many bytes: every hex digit about equally often", () => {
    const digits = Array.from({ length: 200 }, () => randomHex(64)).join("");
    const counts = new Map<string, number>();
    for (const digit of digits) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    expect(counts.size).toBe(16);
    // 25,600 digits: 1,600 expected each; ±25 % is far outside chance for a CSPRNG.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(1200);
      expect(count).toBeLessThan(2000);
    }
  });
});
