import { getEnv } from "../env.server";
import { createMemoryRateLimiter, type RateLimiter } from "../rate-limit.server";
import { createMemoryRefreshCoordinator, type RefreshCoordinator } from "./refresh.server";
import { createMemoryRevocationList, type RevocationList } from "./revocations.server";
import { createCookieSessionStore, type SessionStore } from "./store.server";

/** The session machinery of this process: where sessions, revocations and refreshes live. */
export interface SessionRuntime {
  store: SessionStore;
  revocations: RevocationList;
  refresher: RefreshCoordinator;
  rateLimiter: RateLimiter;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

let runtime: SessionRuntime | undefined;

export function getSessionRuntime(): SessionRuntime {
  if (!runtime) {
    const env = getEnv();
    runtime = {
      store: createCookieSessionStore(env.SESSION_SECRET),
      revocations: createMemoryRevocationList(),
      refresher: createMemoryRefreshCoordinator(),
      rateLimiter: createMemoryRateLimiter(),
      idleTimeoutMs: env.SESSION_IDLE_TIMEOUT_S * 1000,
      absoluteTimeoutMs: env.SESSION_ABSOLUTE_TIMEOUT_S * 1000,
    };
  }
  return runtime;
}

/** For tests: start from a fresh runtime (new secrets, lists and counters). */
export function resetSessionRuntime() {
  runtime = undefined;
}
