import { rateLimitRejections } from "./observability/metrics.server";

/**
 * Fixed-window counters: `limit` events per `windowMs` per key. In memory for one
 * instance; the interface is what a shared store implements for many.
 */
export interface RateLimitState {
  /** Whether another event is allowed now. */
  allowed: boolean;
  /** Seconds until the window resets (for `Retry-After`). */
  retryAfterS: number;
}

export interface RateLimiter {
  /** Counts one event and says whether it was within the limit. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitState>;
  /** Says whether an event would be allowed, without counting one. */
  check(key: string, limit: number, windowMs: number): Promise<RateLimitState>;
  reset(key: string): Promise<void>;
}

/** Counts a refusal by the limit's name: the key up to its first ":" (e.g. "sign-in", "ads"). */
export function countRejection(key: string, state: RateLimitState): RateLimitState {
  if (!state.allowed) rateLimitRejections.inc({ limit: key.slice(0, key.indexOf(":")) || key });
  return state;
}

export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextPrune = 0;

  function current(key: string, windowMs: number) {
    const time = now();
    if (time >= nextPrune) {
      nextPrune = time + 60_000;
      for (const [k, w] of windows) if (w.resetAt <= time) windows.delete(k);
    }
    let window = windows.get(key);
    if (!window || window.resetAt <= time) {
      window = { count: 0, resetAt: time + windowMs };
      windows.set(key, window);
    }
    return window;
  }

  const state = (allowed: boolean, resetAt: number): RateLimitState => ({
    allowed,
    retryAfterS: Math.max(1, Math.ceil((resetAt - now()) / 1000)),
  });

  return {
    async hit(key, limit, windowMs) {
      const window = current(key, windowMs);
      window.count += 1;
      return countRejection(key, state(window.count <= limit, window.resetAt));
    },
    async check(key, limit, windowMs) {
      const window = current(key, windowMs);
      return countRejection(key, state(window.count < limit, window.resetAt));
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}
