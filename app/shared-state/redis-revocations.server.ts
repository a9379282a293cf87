import type { Redis } from "ioredis";
import type { RevocationList } from "../session/revocations.server";
import { orElse } from "./fail-open.server";

// Moves a customer's "not before" time forward only, keeping the longer expiry.
const NOT_BEFORE = `
local known = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
local keep = tonumber(ARGV[2])
if ttl > keep then keep = ttl end
if tonumber(ARGV[1]) > known then known = tonumber(ARGV[1]) end
redis.call('SET', KEYS[1], known, 'PX', keep)
return known`;

/**
 * Revocations shared by every instance (no in-process cache: each check asks
 * Redis, in one round trip, so a revocation holds on every instance at once).
 * If Redis cannot answer a check, the session is taken as not revoked (fail
 * open): its refresh token is already dead at Auth (sign-out revoked it; a
 * back-channel logout follows Auth ending the login), so the session dies with
 * its access token within minutes, while failing closed would sign every
 * customer out during the outage. A revocation that cannot be written is an
 * error the caller sees.
 */
export function createRedisRevocationList(redis: Redis): RevocationList {
  const ttl = (untilMs: number) => Math.max(1, Math.ceil(untilMs - Date.now()));
  return {
    async revoke(sessionId, untilMs) {
      await redis.set(`revoked:${sessionId}`, "1", "PX", ttl(untilMs));
    },
    async revokeLogin(loginId, untilMs) {
      await redis.set(`revoked-login:${loginId}`, "1", "PX", ttl(untilMs));
    },
    async revokeCustomerBefore(userId, beforeMs, untilMs) {
      await redis.eval(NOT_BEFORE, 1, `not-before:${userId}`, Math.floor(beforeMs), ttl(untilMs));
    },
    async isRevoked(session) {
      return orElse(
        "revocation-check",
        async () => {
          const [byId, byLogin, notBefore] = await redis.mget(
            `revoked:${session.id}`,
            `revoked-login:${session.loginId ?? "-"}`,
            `not-before:${session.userId ?? "-"}`,
          );
          return byId !== null || (session.loginId !== undefined && byLogin !== null) || (notBefore !== null && session.createdAt < Number(notBefore));
        },
        () => false,
      );
    },
  };
}
