import type { Redis } from "ioredis";
import { z } from "zod";
import type { Sealer } from "../session/seal.server";
import { isLive, type SignInIndex, type SignInRecord, type SignInTimeouts } from "../session/sign-ins.server";

const recordSchema = z.object({
  sessionId: z.string(),
  loginId: z.string().optional(),
  device: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  refreshToken: z.string(),
});

/**
 * Each customer's sign-ins in one Redis hash (session id → sealed record: it
 * holds a refresh token), expiring with the longest-lived of them; a login's
 * owner under its own key. Entries past their idle or absolute timeout are
 * dropped when the list is read. Errors reach the caller (the interface's
 * users decide what a missing index means).
 */
export function createRedisSignInIndex(redis: Redis, sealer: Sealer, timeouts: SignInTimeouts): SignInIndex {
  const key = (userId: string) => `sign-ins:${userId}`;
  const ownerKey = (loginId: string) => `sign-in-owner:${loginId}`;
  const open = (sealed: string | null | undefined): SignInRecord | undefined => {
    const json = sealed ? sealer.open(sealed) : undefined;
    if (json === undefined) return undefined;
    try {
      const parsed = recordSchema.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  const seal = (record: SignInRecord) => sealer.seal(JSON.stringify(record));

  return {
    async add(userId, record) {
      const ttl = Math.max(1, record.createdAt + timeouts.absoluteTimeoutMs - Date.now());
      const write = redis.multi().hset(key(userId), record.sessionId, seal(record));
      // The hash lives as long as its longest-lived entry could.
      write.pexpire(key(userId), ttl, "GT").pexpire(key(userId), ttl, "NX");
      if (record.loginId) write.set(ownerKey(record.loginId), userId, "PX", ttl);
      const results = await write.exec();
      const failed = results?.find(([error]) => error);
      if (!results || failed) throw new Error(`sign-in not indexed: ${String(failed?.[0] ?? "no answer")}`);
    },
    async update(userId, sessionId, change) {
      const record = open(await redis.hget(key(userId), sessionId));
      if (!record) return;
      await redis.hset(key(userId), sessionId, seal(Object.assign(record, change)));
    },
    async list(userId) {
      const all = await redis.hgetall(key(userId));
      const now = Date.now();
      const live: SignInRecord[] = [];
      const dead: string[] = [];
      for (const [sessionId, sealed] of Object.entries(all)) {
        const record = open(sealed);
        if (record && isLive(record, timeouts, now)) live.push(record);
        else dead.push(sessionId);
      }
      if (dead.length > 0) await redis.hdel(key(userId), ...dead);
      return live.sort((a, b) => a.createdAt - b.createdAt);
    },
    async remove(userId, sessionIds) {
      if (sessionIds.length > 0) await redis.hdel(key(userId), ...sessionIds);
    },
    async ownerOf(loginId) {
      return (await redis.get(ownerKey(loginId))) ?? undefined;
    },
  };
}
