import { createMemorySignInIndex, signInHandle, type SignInRecord } from "./sign-ins.server";
import { createMemoryRevocationList } from "./revocations.server";

const record = (sessionId: string, at: number, loginId?: string): SignInRecord =>
  Object.assign({ sessionId, device: "Chrome on Linux", createdAt: at, lastSeenAt: at, refreshToken: `rt-${sessionId}` }, loginId ? { loginId } : {});

describe("the in-memory sign-in index", () => {
  it("lists a customer's sign-ins oldest first, updates them, and drops them at idle or absolute expiry", async () => {
    const clock = { now: 1_000_000 };
    const index = createMemorySignInIndex({ idleTimeoutMs: 1_000, absoluteTimeoutMs: 5_000 }, () => clock.now);
    await index.add("usr_1", record("b", clock.now + 10, "grt_b"));
    await index.add("usr_1", record("a", clock.now, "grt_a"));
    await index.add("usr_2", record("c", clock.now));
    expect((await index.list("usr_1")).map((entry) => entry.sessionId)).toEqual(["a", "b"]);
    expect(await index.ownerOf("grt_b")).toBe("usr_1");

    clock.now += 900;
    await index.update("usr_1", "b", { lastSeenAt: clock.now, refreshToken: "rt-new" });
    clock.now += 200; // "a" is now idle for 1.1 s
    expect((await index.list("usr_1")).map((entry) => [entry.sessionId, entry.refreshToken])).toEqual([["b", "rt-new"]]);

    for (let step = 0; step < 5; step++) {
      clock.now += 900;
      await index.update("usr_1", "b", { lastSeenAt: clock.now });
    }
    expect(await index.list("usr_1")).toEqual([]); // past the absolute timeout, however active
    await index.remove("usr_2", ["c"]);
    expect(await index.list("usr_2")).toEqual([]);
  });

  it("hands out a handle that is not the session id", () => {
    expect(signInHandle("3f1c-session")).not.toContain("3f1c");
    expect(signInHandle("a")).toBe(signInHandle("a"));
    expect(signInHandle("a")).not.toBe(signInHandle("b"));
  });
});

describe("the in-memory revocation list", () => {
  it("refuses by session id, by Auth's login id, and a customer's sessions that began before a time, until each expires", async () => {
    const clock = { now: 1_000_000 };
    const list = createMemoryRevocationList(() => clock.now);
    const session = { id: "s1", loginId: "grt_1", userId: "usr_1", createdAt: clock.now - 10 };
    expect(await list.isRevoked(session)).toBe(false);
    await list.revokeLogin("grt_1", clock.now + 100);
    expect(await list.isRevoked(session)).toBe(true);
    expect(await list.isRevoked({ id: "s2", loginId: "grt_2", userId: "usr_1", createdAt: clock.now })).toBe(false);

    await list.revokeCustomerBefore("usr_1", clock.now, clock.now + 100);
    expect(await list.isRevoked({ id: "s3", userId: "usr_1", createdAt: clock.now - 1 })).toBe(true);
    expect(await list.isRevoked({ id: "s4", userId: "usr_1", createdAt: clock.now + 1 })).toBe(false);
    // An older "not before" never moves it back.
    await list.revokeCustomerBefore("usr_1", clock.now - 500, clock.now + 100);
    expect(await list.isRevoked({ id: "s3", userId: "usr_1", createdAt: clock.now - 1 })).toBe(true);

    clock.now += 101;
    expect(await list.isRevoked(session)).toBe(false);
  });
});
