import { z } from "@hono/zod-openapi";
import { IdParam, requiredText } from "../../lib/schemas";

export const TypeSchema = z
  .object({
    id: z.number().int().openapi({ example: 1 }),
    name: z.string().openapi({ example: "Relay" }),
    partCount: z.number().int().openapi({ description: "Parts of this type.", example: 12 }),
  })
  .openapi("Type");

export const TypeListSchema = z.object({ items: z.array(TypeSchema) }).openapi("TypeList");

export const TypeInputSchema = z
  .object({ name: requiredText(60).openapi({ example: "Crystal" }) })
  .openapi("TypeInput");

export const TypeIdParams = z.object({ typeId: IdParam("typeId", "Type id.") });

export type TypeDto = z.infer<typeof TypeSchema>;
