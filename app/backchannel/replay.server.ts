/**
 * Logout-token ids (`jti`) already acted on, each remembered until its token
 * expires: after that the token is refused for its `exp` anyway. Shared through
 * Redis when configured, so a token replayed to another instance is refused too.
 */
export interface SeenTokenIds {
  /** True when the id was new (and is now remembered until `untilMs`); false for a replay. */
  claim(jti: string, untilMs: number): Promise<boolean>;
  /** Forgets an id whose token could not be acted on, so Auth's retry is not taken for a replay. */
  release(jti: string): Promise<void>;
}

export function createMemorySeenTokenIds(now: () => number = Date.now): SeenTokenIds {
  const seen = new Map<string, number>();
  return {
    async claim(jti, untilMs) {
      const time = now();
      for (const [id, until] of seen) if (until <= time) seen.delete(id);
      if (seen.has(jti)) return false;
      seen.set(jti, untilMs);
      return true;
    },
    async release(jti) {
      seen.delete(jti);
    },
  };
}
