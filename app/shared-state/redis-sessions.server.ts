import type { Redis } from "ioredis";
import { z } from "zod";
import type { Sealer } from "../session/seal.server";
import { parseSession, sessionCookies, type CustomerSession, type SessionStore } from "../session/store.server";

export class SessionStoreUnavailable extends Error {}

/**
 * Server-side sessions (SESSION_STORE=redis): the cookie holds only a signed,
 * opaque id; the session lives in Redis, sealed, expiring with its idle timeout
 * (renewed as it rolls) and never past its absolute one. Each customer's session
 * ids are indexed, so all of them can be ended at once. Without Redis there is no
 * session to read: that fails closed (SessionStoreUnavailable), never "signed in".
 */
export function createRedisSessionStore(
  redis: Redis,
  options: { secrets: string[]; sealer: Sealer; idleTimeoutMs: number },
): SessionStore {
  const cookie = sessionCookies(options.secrets);
  const key = (id: string) => `session:${id}`;
  const index = (userId: string) => `user-sessions:${userId}`;
  const id = z.string().uuid();

  async function load(sessionId: string): Promise<CustomerSession | null> {
    let sealed: string | null;
    try {
      sealed = await redis.get(key(sessionId));
    } catch (cause) {
      throw new SessionStoreUnavailable("session store unavailable", { cause });
    }
    const json = sealed ? options.sealer.open(sealed) : undefined;
    return json ? parseSession(json) : null;
  }

  return {
    async read(request, secure) {
      const header = request.headers.get("cookie");
      if (!header) return null;
      const value: unknown = await cookie(secure).parse(header).catch(() => null);
      const parsed = id.safeParse(value);
      return parsed.success ? load(parsed.data) : null;
    },

    async commit(session, secure, expiresAt) {
      const ttl = Math.max(1, Math.min(options.idleTimeoutMs, expiresAt - Date.now()));
      const write = redis.multi().set(key(session.id), options.sealer.seal(JSON.stringify(session)), "PX", ttl);
      if (session.userId) write.sadd(index(session.userId), session.id).pexpire(index(session.userId), Math.max(1, expiresAt - Date.now()));
      const results = await write.exec();
      if (!results || results.some(([error]) => error)) throw new SessionStoreUnavailable("session not saved");
      return cookie(secure).serialize(session.id, { maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)) });
    },

    async destroy(secure, session) {
      if (session) {
        await redis
          .multi()
          .del(key(session.id))
          .srem(index(session.userId ?? "-"), session.id)
          .exec()
          .catch(() => undefined);
      }
      return cookie(secure).serialize("", { maxAge: 0, expires: new Date(0) });
    },

    async endAll(userId) {
      const ids = await redis.smembers(index(userId));
      const sessions = (await Promise.all(ids.map((sessionId) => load(sessionId)))).filter(
        (session): session is CustomerSession => session !== null,
      );
      await redis.del(index(userId), ...ids.map(key));
      return sessions;
    },
  };
}
