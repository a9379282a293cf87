import type { Redis } from "ioredis";
import type { RevocationList } from "../session/revocations.server";
import { orElse } from "./fail-open.server";

/**
 * Signed-out session ids, shared by every instance, each kept until its session's
 * absolute expiry. If Redis cannot answer a check, the session is taken as not
 * revoked (fail open): sign-out also revoked the refresh token at Auth, so a
 * replayed cookie dies with its access token within minutes, while failing closed
 * would sign every customer out during the outage. A revocation that cannot be
 * written is an error the caller sees.
 */
export function createRedisRevocationList(redis: Redis): RevocationList {
  const key = (id: string) => `revoked:${id}`;
  return {
    async revoke(sessionId, untilMs) {
      const ttl = Math.max(1, Math.ceil(untilMs - Date.now()));
      await redis.set(key(sessionId), "1", "PX", ttl);
    },
    async isRevoked(sessionId) {
      return orElse("revocation-check", async () => (await redis.exists(key(sessionId))) === 1, () => false);
    },
  };
}
