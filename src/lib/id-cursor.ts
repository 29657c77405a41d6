import { z } from "@hono/zod-openapi";
import { badRequest } from "./errors";

/**
 * Keyset pagination over an integer identity column, for collections listed in creation
 * order. The cursor is the last id of a page, opaque to clients: rows inserted between
 * pages land after it, so pages never repeat or skip a row.
 */
export const IdPageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: "limit", in: "query" }, description: "Page size, 1..200." }),
  cursor: z
    .string()
    .max(64)
    .optional()
    .openapi({
      param: { name: "cursor", in: "query" },
      description: "`nextCursor` of the previous page.",
    }),
});

export function encodeIdCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString("base64url");
}

/** The id after which the page starts; 0 for the first page. */
export function decodeIdCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^id:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString());
  const id = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(id)) {
    throw badRequest("pagination.bad_cursor", "The cursor is not one this server issued.", [
      { path: "cursor", message: "Unknown cursor; pass nextCursor from the previous page." },
    ]);
  }
  return id;
}

/** Turns `limit + 1` fetched rows into a page and the cursor of the next one. */
export function toIdPage<T extends { id: number }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeIdCursor(last.id) : null };
}
