import type { TokenSet } from "../../types/domain";

/**
 * Refresh tokens rotate and their reuse revokes the whole login, so a refresh must
 * happen once even when many requests notice the expiry together:
 * - concurrent callers with the same refresh token share one upstream call;
 * - a caller that arrives shortly after, still holding the rotated token (its
 *   cookie left the browser before the new one arrived), gets the same new token
 *   set from a short-lived memo instead of tripping reuse detection.
 */
export interface RefreshCoordinator {
  refresh(refreshToken: string, run: () => Promise<TokenSet>): Promise<TokenSet>;
}

export function createMemoryRefreshCoordinator(
  options: { graceMs?: number; now?: () => number } = {},
): RefreshCoordinator {
  const graceMs = options.graceMs ?? 30_000;
  const now = options.now ?? Date.now;
  const inFlight = new Map<string, Promise<TokenSet>>();
  const recent = new Map<string, { tokens: TokenSet; until: number }>();

  function remember(refreshToken: string, tokens: TokenSet) {
    const time = now();
    for (const [key, entry] of recent) if (entry.until <= time) recent.delete(key);
    recent.set(refreshToken, { tokens, until: time + graceMs });
  }

  return {
    refresh(refreshToken, run) {
      const memo = recent.get(refreshToken);
      if (memo && memo.until > now()) return Promise.resolve(memo.tokens);
      const pending = inFlight.get(refreshToken);
      if (pending) return pending;
      const started = run()
        .then((tokens) => {
          remember(refreshToken, tokens);
          return tokens;
        })
        .finally(() => inFlight.delete(refreshToken));
      inFlight.set(refreshToken, started);
      return started;
    },
  };
}
