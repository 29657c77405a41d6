import { z } from "@hono/zod-openapi";

/** Trimmed single-line text with a length limit. */
export const text = (max: number) => z.string().trim().max(max);

/** A required, trimmed, non-empty single-line text. */
export const requiredText = (max: number) => z.string().trim().min(1).max(max);

export const IdParam = (name: string, description: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .openapi({ param: { name, in: "path" }, description, example: 1 });

/** An optional integer id filter in the query string. */
export const IdQuery = (name: string, description: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .optional()
    .openapi({ param: { name, in: "query" }, description, example: 1 });

export const BoxNo = z.number().int().min(1).max(2_147_483_647).openapi({ example: 7 });
export const LocNo = z.number().int().min(1).max(1000).openapi({ example: 3 });

export const LocationRefSchema = z
  .object({ boxNo: BoxNo, locNo: LocNo })
  .openapi("LocationRef", { description: "A slot: box number and slot number." });

export const locationCode = (boxNo: number, locNo: number) => `${boxNo}-${locNo}`;

export const ItemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const timestamp = () =>
  z.string().openapi({ format: "date-time", example: "2026-11-22T10:15:00.000Z" });
