import { z } from "@hono/zod-openapi";
import { requiredText } from "../../lib/schemas";
import { PartLocationSchema } from "../parts/parts.schemas";

export const SEARCH_MAX_LIMIT = 100;

export const SearchQuery = z.object({
  q: requiredText(200).openapi({
    param: { name: "q", in: "query" },
    description:
      "What to look for: a part id, a manufacturer code or a fragment of one, words of the description, a tag, the type name, the manufacturer or the seller. Case does not matter; small typos are forgiven.",
    example: "g5q",
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(SEARCH_MAX_LIMIT)
    .default(20)
    .openapi({
      param: { name: "limit", in: "query" },
      description: `Most hits to answer, 1..${SEARCH_MAX_LIMIT}.`,
      example: 20,
    }),
});

export const SearchHitSchema = z
  .object({
    id: z.string().openapi({ example: "BZQP" }),
    manufacturerCode: z.string().nullable().openapi({ example: "G5Q-1A4" }),
    manufacturer: z.string().nullable().openapi({ example: "OMRON" }),
    description: z.string().openapi({ example: "Relay 5 V SPST 5 A" }),
    typeName: z.string().nullable().openapi({ example: "Relay" }),
    tags: z.array(z.string()).openapi({ example: ["5V", "THT"] }),
    totalQty: z.number().int().openapi({ description: "Sum over all locations.", example: 20 }),
    locations: z.array(PartLocationSchema).openapi({ description: "In box/slot order." }),
    thumbnailUrl: z.string().nullable().openapi({
      description:
        "The cover image's `sm` WebP thumbnail (256 px; `size=md` for 1024 px) once it is made; null without a cover or before.",
    }),
    score: z.number().openapi({
      description:
        "Relevance within this answer, higher is better; only the order is meaningful. An exact id comes first, then an exact manufacturer code, then the rest by score.",
      example: 1.62,
    }),
  })
  .openapi("SearchHit");

export const SearchResultSchema = z
  .object({ items: z.array(SearchHitSchema) })
  .openapi("SearchResult");

export type SearchParams = z.infer<typeof SearchQuery>;
export type SearchHitDto = z.infer<typeof SearchHitSchema>;
