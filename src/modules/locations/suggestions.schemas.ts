import { z } from "@hono/zod-openapi";
import { BoxNo, IdQuery, LocNo } from "../../lib/schemas";

export const SuggestionSchema = z
  .object({
    boxNo: BoxNo,
    locNo: LocNo,
    code: z.string().openapi({ example: "2-14" }),
    reason: z.string().openapi({
      description: "Why this slot, as a plain sentence.",
      example: "Box 2 already holds Relays.",
    }),
  })
  .openapi("LocationSuggestion");

export const SuggestionListSchema = z
  .object({ items: z.array(SuggestionSchema) })
  .openapi("LocationSuggestions");

const count = z.coerce
  .number()
  .int()
  .min(1)
  .max(50)
  .default(1)
  .openapi({
    param: { name: "count", in: "query" },
    description: "How many free slots to suggest, 1..50.",
    example: 1,
  });

export const PartSuggestionQuery = z.object({ count });

export const TypeSuggestionQuery = z.object({
  typeId: IdQuery("typeId", "The type of the part to be stored; without it, the first free slots."),
  count,
});
