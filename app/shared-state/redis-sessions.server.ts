import type { Redis } from "ioredis";
import { z } from "zod";
import type { Sealer } from "../session/seal.server";
import { parseSession, sessionCookies, type CustomerSession, type SessionStore } from "../session/store.server";

export class SessionStoreUnavailable extends Error {}

/** The session was ended from elsewhere (another device, or Auth): its data is gone, only this mark is left. */
export class SessionEndedElsewhere extends Error {}

/** What an ended session's key holds instead of the session, for the idle timeout: the browser is told why. */
const ENDED = "ended";

/**
 * Server-side sessions (SESSION_STORE=redis): the cookie holds only a signed,
 * opaque id; the session lives in Redis, sealed, expiring with its idle timeout
 * (renewed as it rolls) and never past its absolute one (the customer's sign-ins
 * are listed by the sign-in index, in both modes). Without Redis there is no
 * session to read: that fails closed (SessionStoreUnavailable), never "signed in".
 */
export function createRedisSessionStore(
  redis: Redis,
  options: { secrets: string[]; sealer: Sealer; idleTimeoutMs: number },
): SessionStore {
  const cookie = sessionCookies(options.secrets);
  const key = (id: string) => `session:${id}`;
  const id = z.string().uuid();

  async function load(sessionId: string): Promise<CustomerSession | null> {
    let sealed: string | null;
    try {
      sealed = await redis.get(key(sessionId));
    } catch (cause) {
      throw new SessionStoreUnavailable("session store unavailable", { cause });
    }
    if (sealed === ENDED) throw new SessionEndedElsewhere("session ended elsewhere");
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
      try {
        await redis.set(key(session.id), options.sealer.seal(JSON.stringify(session)), "PX", ttl);
      } catch (cause) {
        throw new SessionStoreUnavailable("session not saved", { cause });
      }
      return cookie(secure).serialize(session.id, { maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)) });
    },

    async destroy(secure, session) {
      // Best effort: the session id is also on the revocation list, so a copy left behind is refused.
      if (session) await redis.del(key(session.id)).catch(() => undefined);
      return cookie(secure).serialize("", { maxAge: 0, expires: new Date(0) });
    },

    async remove(sessionIds) {
      if (sessionIds.length === 0) return;
      // Only sessions that still exist (XX): the data is replaced by the mark.
      const write = redis.multi();
      for (const sessionId of sessionIds) write.set(key(sessionId), ENDED, "PX", options.idleTimeoutMs, "XX");
      const results = await write.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw new SessionStoreUnavailable("sessions not removed", { cause: failed?.[0] });
    },
  };
}
