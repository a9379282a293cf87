import { createSealer } from "./seal.server";

const OLD = "o".repeat(32);
const NEW = "n".repeat(32);

describe("createSealer", () => {
  it("opens what it sealed, and the sealed text reveals nothing of it", () => {
    const sealer = createSealer([NEW], "session");
    const sealed = sealer.seal('{"token":"secret-value"}');
    expect(sealed).not.toContain("secret");
    expect(Buffer.from(sealed, "base64url").toString("latin1")).not.toContain("secret");
    expect(sealer.open(sealed)).toBe('{"token":"secret-value"}');
  });

  it("seals the same text differently every time (random IV)", () => {
    const sealer = createSealer([NEW], "session");
    expect(sealer.seal("same")).not.toBe(sealer.seal("same"));
  });

  it("rotates: the new first secret seals, the old one still opens", () => {
    const before = createSealer([OLD], "session").seal("hello");
    const rotated = createSealer([NEW, OLD], "session");
    expect(rotated.open(before)).toBe("hello");
    expect(createSealer([OLD], "session").open(rotated.seal("hi"))).toBeUndefined();
    expect(createSealer([NEW], "session").open(rotated.seal("hi"))).toBe("hi");
  });

  it("refuses anything tampered with, truncated or for another purpose", () => {
    const sealer = createSealer([NEW], "session");
    const sealed = sealer.seal("hello world");
    const bytes = Buffer.from(sealed, "base64url");
    for (const index of [0, 3, 10, 25, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(sealer.open(tampered.toString("base64url"))).toBeUndefined();
    }
    expect(sealer.open(sealed.slice(0, 20))).toBeUndefined();
    expect(sealer.open("")).toBeUndefined();
    expect(sealer.open("not base64 at all!")).toBeUndefined();
    expect(createSealer([NEW], "other-purpose").open(sealed)).toBeUndefined();
  });
});
