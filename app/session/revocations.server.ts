/**
 * Session ids that were signed out. A cookie is only a bearer of state, so a copy
 * replayed after sign-out (or a late response that re-sets it) must be refused:
 * the id stays here until the session's absolute expiry, after which the cookie
 * is dead anyway.
 */
export interface RevocationList {
  revoke(sessionId: string, untilMs: number): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

export function createMemoryRevocationList(now: () => number = Date.now): RevocationList {
  const revoked = new Map<string, number>();
  let nextPrune = 0;

  function prune() {
    const time = now();
    if (time < nextPrune) return;
    nextPrune = time + 60_000;
    for (const [id, until] of revoked) if (until <= time) revoked.delete(id);
  }

  return {
    async revoke(sessionId, untilMs) {
      prune();
      revoked.set(sessionId, untilMs);
    },
    async isRevoked(sessionId) {
      const until = revoked.get(sessionId);
      return until !== undefined && until > now();
    },
  };
}
