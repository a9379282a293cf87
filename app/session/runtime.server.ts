import { createMemorySeenTokenIds, type SeenTokenIds } from "../backchannel/replay.server";
import { getEnv } from "../env.server";
import type { RateLimiter } from "../rate-limit.server";
import { getRateLimiter, getRedis } from "../shared-state/index.server";
import { createRedisSeenTokenIds } from "../shared-state/redis-logout-tokens.server";
import { createRedisRefreshCoordinator } from "../shared-state/redis-refresh.server";
import { createRedisRevocationList } from "../shared-state/redis-revocations.server";
import { createRedisSessionStore } from "../shared-state/redis-sessions.server";
import { createRedisSignInIndex } from "../shared-state/redis-sign-ins.server";
import { createMemoryRefreshCoordinator, type RefreshCoordinator } from "./refresh.server";
import { createMemoryRevocationList, type RevocationList } from "./revocations.server";
import { createSealer } from "./seal.server";
import { createMemorySignInIndex, type SignInIndex } from "./sign-ins.server";
import { createCookieSessionStore, type SessionStore } from "./store.server";

/** The session machinery of this process: where sessions, revocations and refreshes live. */
export interface SessionRuntime {
  store: SessionStore;
  revocations: RevocationList;
  refresher: RefreshCoordinator;
  /** Each customer's sign-ins ("Where you're signed in", ending one from elsewhere). */
  signIns: SignInIndex;
  /** Logout-token ids already acted on (back-channel logout replay protection). */
  seenLogoutTokens: SeenTokenIds;
  rateLimiter: RateLimiter;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

let runtime: SessionRuntime | undefined;

export function getSessionRuntime(): SessionRuntime {
  if (!runtime) {
    const env = getEnv();
    const idleTimeoutMs = env.SESSION_IDLE_TIMEOUT_S * 1000;
    const timeouts = { idleTimeoutMs, absoluteTimeoutMs: env.SESSION_ABSOLUTE_TIMEOUT_S * 1000 };
    // With REDIS_URL, what must hold across instances lives in Redis (decision 007).
    const redis = getRedis();
    runtime = {
      store:
        redis && env.SESSION_STORE === "redis"
          ? createRedisSessionStore(redis, {
              secrets: env.SESSION_SECRET,
              sealer: createSealer(env.SESSION_SECRET, "server-session"),
              idleTimeoutMs,
            })
          : createCookieSessionStore(env.SESSION_SECRET),
      revocations: redis ? createRedisRevocationList(redis) : createMemoryRevocationList(),
      refresher: redis
        ? createRedisRefreshCoordinator(redis, createSealer(env.SESSION_SECRET, "refresh-memo"))
        : createMemoryRefreshCoordinator(),
      signIns: redis
        ? createRedisSignInIndex(redis, createSealer(env.SESSION_SECRET, "sign-in-index"), timeouts)
        : createMemorySignInIndex(timeouts),
      seenLogoutTokens: redis ? createRedisSeenTokenIds(redis) : createMemorySeenTokenIds(),
      rateLimiter: getRateLimiter(),
      idleTimeoutMs,
      absoluteTimeoutMs: timeouts.absoluteTimeoutMs,
    };
  }
  return runtime;
}

/** For tests: start from a fresh runtime (new secrets, lists and counters). */
export function resetSessionRuntime() {
  runtime = undefined;
}
