import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { TokenSet } from "../../types/domain";
import type { RefreshCoordinator } from "../session/refresh.server";
import type { Sealer } from "../session/seal.server";
import { orElse } from "./fail-open.server";

const LOCK_MS = 10_000;
const POLL_MS = 40;

/**
 * One refresh per refresh token across every instance: a lock in Redis, and the
 * new token set kept (sealed) for a short grace, keyed by a hash of the old token,
 * for the requests that still carry it. Concurrent callers on this instance share
 * one promise before Redis is asked at all. If Redis cannot answer, the refresh
 * runs without the lock (fail open): at worst Auth sees a reuse and ends that one
 * login, rather than nobody being able to refresh.
 */
export function createRedisRefreshCoordinator(redis: Redis, sealer: Sealer, options: { graceMs?: number } = {}): RefreshCoordinator {
  const graceMs = options.graceMs ?? 30_000;
  const inFlight = new Map<string, Promise<TokenSet>>();

  async function remembered(id: string): Promise<TokenSet | undefined> {
    const sealed = await redis.get(`refresh:result:${id}`);
    const json = sealed ? sealer.open(sealed) : undefined;
    return json ? (JSON.parse(json) as TokenSet) : undefined;
  }

  function slow(error: unknown): boolean {
    return redis.status === "ready" && error instanceof Error && /timed out/i.test(error.message);
  }

  /**
   * A command, asked again while it times out on a live connection (a slow Redis,
   * not a missing one), until `deadline`. Giving up sooner would let the refresh
   * run without the lock, or release it without the new tokens stored: either way
   * another instance sends the refresh token that is already rotating, and Auth
   * ends the login.
   */
  async function patiently<T>(command: () => Promise<T>, deadline: number): Promise<T> {
    for (;;) {
      try {
        return await command();
      } catch (error) {
        if (!slow(error) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
  }

  async function coordinated(id: string, run: () => Promise<TokenSet>): Promise<TokenSet> {
    const owner = randomUUID();
    const lock = `refresh:lock:${id}`;
    const deadline = Date.now() + LOCK_MS;
    for (;;) {
      const known = await patiently(() => remembered(id), deadline);
      if (known) return known;
      const took = await patiently(() => redis.set(lock, owner, "PX", LOCK_MS, "NX"), deadline);
      // A lock taken by a command whose answer timed out is still ours.
      if (took === "OK" || (await patiently(() => redis.get(lock), deadline)) === owner) {
        return holding(id, lock, owner, run);
      }
      if (Date.now() > deadline) throw new Error("refresh lock held too long");
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** With the lock: refresh once, store the answer, and only then let the lock go. */
  async function holding(id: string, lock: string, owner: string, run: () => Promise<TokenSet>): Promise<TokenSet> {
    const expires = Date.now() + LOCK_MS;
    // New tokens that could not be stored: the lock stays until it expires.
    let unstored = false;
    try {
      // The holder before us may have stored its answer and let go between our look and our lock.
      const known = await patiently(() => remembered(id), expires);
      if (known) return known;
      const tokens = await run();
      // Best effort from here on: the refresh happened, its answer must not be lost.
      unstored = await patiently(() => redis.set(`refresh:result:${id}`, sealer.seal(JSON.stringify(tokens)), "PX", graceMs), expires).then(
        () => false,
        () => true,
      );
      return tokens;
    } finally {
      // Only our own lock (it may have expired and been taken by someone else), and not
      // when new tokens went unstored: that lock let go invites a second refresh.
      if (!unstored) {
        const holder = await redis.get(lock).catch(() => undefined);
        if (holder === owner) await redis.del(lock).catch(() => undefined);
      }
    }
  }

  return {
    refresh(refreshToken, run) {
      const id = createHash("sha256").update(refreshToken).digest("base64url");
      const pending = inFlight.get(id);
      if (pending) return pending;
      let ran = false;
      const once = () => {
        ran = true;
        return run();
      };
      const started = coordinated(id, once)
        .catch((error: unknown) => {
          // Auth's own answer (say, invalid_grant) goes back as it is; only Redis
          // trouble before the refresh ran means "refresh without the lock".
          if (ran) throw error;
          return orElse("refresh-lock", () => Promise.reject(error), run);
        })
        .finally(() => inFlight.delete(id));
      inFlight.set(id, started);
      return started;
    },
  };
}
