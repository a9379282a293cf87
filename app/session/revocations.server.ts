/**
 * Sessions that must no longer be honoured, kept server-side. A cookie is only a
 * bearer of state, so a copy replayed after sign-out (or a late response that
 * re-sets it) must be refused, and so must a session Auth ended (back-channel
 * logout) or the customer ended from another device. Three kinds of record, each
 * kept until the longest a session it covers could live (its absolute timeout):
 * - a session id (signed out here);
 * - a login id (Auth's `sid`): every session holding that login;
 * - a customer's "not before" time: every session of theirs that began earlier.
 */
export interface RevocationList {
  revoke(sessionId: string, untilMs: number): Promise<void>;
  revokeLogin(loginId: string, untilMs: number): Promise<void>;
  /** Ends every session of the customer that began before `beforeMs` (a later record only moves it forward). */
  revokeCustomerBefore(userId: string, beforeMs: number, untilMs: number): Promise<void>;
  isRevoked(session: RevocationSubject): Promise<boolean>;
}

/** What a revocation check needs to know about a session. */
export interface RevocationSubject {
  id: string;
  loginId?: string;
  userId?: string;
  createdAt: number;
}

export function createMemoryRevocationList(now: () => number = Date.now): RevocationList {
  const sessions = new Map<string, number>();
  const logins = new Map<string, number>();
  const notBefore = new Map<string, { beforeMs: number; until: number }>();
  let nextPrune = 0;

  function prune() {
    const time = now();
    if (time < nextPrune) return;
    nextPrune = time + 60_000;
    for (const map of [sessions, logins]) for (const [id, until] of map) if (until <= time) map.delete(id);
    for (const [id, entry] of notBefore) if (entry.until <= time) notBefore.delete(id);
  }

  const live = (until: number | undefined) => until !== undefined && until > now();

  return {
    async revoke(sessionId, untilMs) {
      prune();
      sessions.set(sessionId, untilMs);
    },
    async revokeLogin(loginId, untilMs) {
      prune();
      logins.set(loginId, untilMs);
    },
    async revokeCustomerBefore(userId, beforeMs, untilMs) {
      prune();
      const known = notBefore.get(userId);
      notBefore.set(userId, { beforeMs: Math.max(beforeMs, known?.beforeMs ?? 0), until: Math.max(untilMs, known?.until ?? 0) });
    },
    async isRevoked(session) {
      if (live(sessions.get(session.id))) return true;
      if (session.loginId && live(logins.get(session.loginId))) return true;
      const entry = session.userId ? notBefore.get(session.userId) : undefined;
      return entry !== undefined && live(entry.until) && session.createdAt < entry.beforeMs;
    },
  };
}
