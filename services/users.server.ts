import { z } from "zod";
import type { UserProfile } from "../types/domain";
import type { CallContext, ServiceHttp } from "./http.server";
import { bearer } from "./bearer.server";

// Users speaks snake_case and sends a fat record; only these fields cross the edge.
const userSchema = z
  .object({
    user_id: z.string().min(1),
    first_name: z.string(),
    last_name: z.string(),
    email_address: z.string(),
    avatar_url: z.string().nullable().optional(),
    created_at: z.iso.datetime({ offset: true }),
    locale: z.string().min(2).default("en"),
    marketing: z.object({ segments: z.array(z.string()) }).partial().optional(),
  })
  .transform(
    (user): UserProfile => ({
      id: user.user_id,
      firstName: user.first_name,
      lastName: user.last_name,
      email: user.email_address,
      avatarUrl: user.avatar_url ?? null,
      createdAt: new Date(user.created_at).toISOString(),
      locale: user.locale,
      marketingSegments: user.marketing?.segments ?? [],
    }),
  );

export function createUsersClient(http: ServiceHttp) {
  return {
    async me(accessToken: string, context?: CallContext): Promise<UserProfile> {
      const { data } = await http.request({
        method: "GET",
        path: "/v1/users/me",
        headers: bearer(accessToken),
        schema: userSchema,
        context,
      });
      return data;
    },
  };
}

export type UsersClient = ReturnType<typeof createUsersClient>;
