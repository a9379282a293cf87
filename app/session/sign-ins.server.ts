import { createHash } from "node:crypto";

/**
 * Each customer's active sign-ins, for "Where you're signed in" and for ending
 * one from another device or from Auth. Cookie sessions live only in browsers,
 * so this small index is the server's one list of them (in both session modes,
 * one way): kept in Redis when configured, in memory otherwise, each entry gone
 * at its session's idle or absolute expiry.
 */
export interface SignInRecord {
  /** The app's session id. */
  sessionId: string;
  /** Auth's login (`sid`), when the access token named one. */
  loginId?: string;
  /** "Chrome on Linux": from the User-Agent at sign-in. */
  device: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last request (updated with the session's rolling touch). */
  lastSeenAt: number;
  /** The login's current refresh token, so ending this sign-in from elsewhere also ends it at Auth. */
  refreshToken: string;
}

export interface SignInIndex {
  add(userId: string, record: SignInRecord): Promise<void>;
  /** Records the session's latest activity or refresh token; nothing for a sign-in no longer listed. */
  update(userId: string, sessionId: string, change: Partial<Pick<SignInRecord, "lastSeenAt" | "refreshToken">>): Promise<void>;
  /** The customer's live sign-ins, oldest first; expired ones are dropped. */
  list(userId: string): Promise<SignInRecord[]>;
  remove(userId: string, sessionIds: readonly string[]): Promise<void>;
  /** The customer of a login, for a logout token that names only its `sid`. */
  ownerOf(loginId: string): Promise<string | undefined>;
}

export interface SignInTimeouts {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

/** Whether a listed sign-in's session could still be in use. */
export function isLive(record: SignInRecord, timeouts: SignInTimeouts, now: number): boolean {
  return now - record.lastSeenAt <= timeouts.idleTimeoutMs && now - record.createdAt <= timeouts.absoluteTimeoutMs;
}

export function createMemorySignInIndex(timeouts: SignInTimeouts, now: () => number = Date.now): SignInIndex {
  const byUser = new Map<string, Map<string, SignInRecord>>();
  const owners = new Map<string, { userId: string; until: number }>();

  function live(userId: string): Map<string, SignInRecord> {
    const records = byUser.get(userId) ?? new Map<string, SignInRecord>();
    const time = now();
    for (const [id, record] of records) if (!isLive(record, timeouts, time)) records.delete(id);
    if (records.size === 0) byUser.delete(userId);
    return records;
  }

  return {
    async add(userId, record) {
      const records = live(userId);
      records.set(record.sessionId, Object.assign({}, record));
      byUser.set(userId, records);
      const time = now();
      for (const [id, owner] of owners) if (owner.until <= time) owners.delete(id);
      if (record.loginId) owners.set(record.loginId, { userId, until: record.createdAt + timeouts.absoluteTimeoutMs });
    },
    async update(userId, sessionId, change) {
      const record = live(userId).get(sessionId);
      if (record) Object.assign(record, change);
    },
    async list(userId) {
      return [...live(userId).values()].map((record) => Object.assign({}, record)).sort((a, b) => a.createdAt - b.createdAt);
    },
    async remove(userId, sessionIds) {
      const records = live(userId);
      for (const id of sessionIds) records.delete(id);
    },
    async ownerOf(loginId) {
      const owner = owners.get(loginId);
      return owner && owner.until > now() ? owner.userId : undefined;
    },
  };
}

/** What the browser sees of a sign-in instead of its session id: the "Sign out" form sends it back. */
export function signInHandle(sessionId: string): string {
  return createHash("sha256").update(`sign-in:${sessionId}`).digest("base64url").slice(0, 22);
}
