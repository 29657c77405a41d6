import { z } from "@hono/zod-openapi";
import { badRequest } from "./errors";
import { INT4_MAX } from "./schemas";

/** `limit` and `cursor` query parameters shared by every paginated listing. */
export const PageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({
      param: { name: "limit", in: "query" },
      description: "Items per page, 1..200.",
      example: 50,
    }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({
      param: { name: "cursor", in: "query" },
      description: "`nextCursor` of the previous page; omit for the first page.",
    }),
};

export const NextCursor = z.string().nullable().openapi({
  description: "Pass as `cursor` to get the next page; null on the last page.",
});

/** A page of a paginated listing, named `name` in the OpenAPI document. */
export const PageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: NextCursor }).openapi(name);

/** A keyset position on an integer id column, checked before it reaches a query. */
export const IntegerKey = z.number().int().min(0).max(INT4_MAX);

const malformedCursor = () =>
  badRequest(
    "pagination.malformed_cursor",
    "The cursor is malformed or belongs to another listing; start again without it.",
    [{ path: "cursor", message: "Not a cursor issued by this listing." }],
  );

/**
 * Cursors are opaque to clients: the keyset position as base64url JSON. The first
 * element names the ordering, so a cursor from one sort order is refused by another.
 */
export function encodeCursor(position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** Decodes and validates a cursor against the listing's position shape (400 if it fails). */
export function decodeCursor<T extends z.ZodType>(
  cursor: string | undefined,
  shape: T,
): z.infer<T> | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw malformedCursor();
  }
  const result = shape.safeParse(parsed);
  if (!result.success) throw malformedCursor();
  return result.data;
}

/**
 * A page from `limit + 1` rows fetched in keyset order: the extra row only tells that
 * another page exists, and the cursor points at the last row shown.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (row: Row) => string,
) {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(toItem),
    nextCursor: rows.length > limit && last ? cursorOf(last) : null,
  };
}
