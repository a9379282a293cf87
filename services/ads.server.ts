import { z } from "zod";
import type { Ad, AdPlacement } from "../types/domain";
import type { CallContext, ServiceHttp } from "./http.server";

// Images are fetched by customers' and partners' browsers: only web or inline image URLs.
const imageUrl = z.union([z.url({ protocol: /^https?$/ }), z.string().regex(/^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/)]);

// Ads sends campaign internals, targeting and scoring: none of it leaves this schema.
const adSchema = z
  .object({
    id: z.string().min(1),
    creative: z.object({
      headline: z.string(),
      body: z.string(),
      image: z.object({ url: imageUrl, width: z.number().int().positive(), height: z.number().int().positive() }),
    }),
    click_url: z.url({ protocol: /^https?$/ }),
    sponsor_name: z.string(),
  })
  .transform(
    (ad): Ad => ({
      id: ad.id,
      title: ad.creative.headline,
      body: ad.creative.body,
      imageUrl: ad.creative.image.url,
      imageWidth: ad.creative.image.width,
      imageHeight: ad.creative.image.height,
      clickUrl: ad.click_url,
      sponsor: ad.sponsor_name,
    }),
  );

// One bad ad (say, a javascript: link) is dropped on its own, not the whole list.
const adsSchema = z
  .object({ ads: z.array(z.unknown()) })
  .transform((body) => body.ads.flatMap((ad) => {
    const parsed = adSchema.safeParse(ad);
    return parsed.success ? [parsed.data] : [];
  }));

export function createAdsClient(http: ServiceHttp, options: { apiKey: string }) {
  return {
    /** Contextual without a `segment`; personalised (server-side only) with one. */
    async list(query: { placement: AdPlacement; segment?: string }, context?: CallContext): Promise<Ad[]> {
      const params = new URLSearchParams({ placement: query.placement });
      if (query.segment) params.set("segment", query.segment);
      const { data } = await http.request({
        method: "GET",
        path: `/ads?${params}`,
        // The API key is attached here and nowhere else.
        headers: { "x-api-key": options.apiKey },
        schema: adsSchema,
        context,
      });
      return data;
    },
  };
}

export type AdsClient = ReturnType<typeof createAdsClient>;
