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

  async function coordinated(id: string, run: () => Promise<TokenSet>): Promise<TokenSet> {
    const owner = randomUUID();
    const deadline = Date.now() + LOCK_MS;
    let timedOut = false;
    for (;;) {
      let known: TokenSet | undefined;
      let locked = false;
      try {
        known = await remembered(id);
        if (!known) locked = (await redis.set(`refresh:lock:${id}`, owner, "PX", LOCK_MS, "NX")) === "OK";
        // A lock taken by a command whose answer timed out is still ours.
        if (!known && !locked && timedOut) locked = (await redis.get(`refresh:lock:${id}`)) === owner;
      } catch (error) {
        // A command that timed out on a live connection means a slow Redis, not a
        // missing one: ask again. Refreshing without the lock here would reuse the
        // refresh token another instance is already rotating, and Auth ends the login.
        if (!slow(error) || Date.now() > deadline) throw error;
        timedOut = true;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        continue;
      }
      if (known) return known;
      if (locked) {
        try {
          const tokens = await run();
          // Best effort from here on: the refresh happened, its answer must not be lost.
          await redis.set(`refresh:result:${id}`, sealer.seal(JSON.stringify(tokens)), "PX", graceMs).catch(() => undefined);
          return tokens;
        } finally {
          // Only our own lock: it may have expired and been taken by someone else.
          const holder = await redis.get(`refresh:lock:${id}`).catch(() => undefined);
          if (holder === owner) await redis.del(`refresh:lock:${id}`).catch(() => undefined);
        }
      }
      if (Date.now() > deadline) throw new Error("refresh lock held too long");
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
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
