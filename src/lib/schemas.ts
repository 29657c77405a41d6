import { z } from "@hono/zod-openapi";

/** The largest value of a PostgreSQL `integer` column; every id and count stays within it. */
export const INT4_MAX = 2_147_483_647;

/** PostgreSQL cannot store NUL in text: refused as input instead of failing the query. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is refused.
const NO_NUL = /^[^\u0000]*$/;
const noNul = "Must not contain NUL (\\u0000) characters.";

/** Trimmed single-line text with a length limit. */
export const text = (max: number) => z.string().trim().max(max).regex(NO_NUL, noNul);

/** A required, trimmed, non-empty single-line text. */
export const requiredText = (max: number) => text(max).min(1);

/** A positive database id in a JSON body: ids are PostgreSQL integers. */
export const DbId = z.number().int().min(1).max(INT4_MAX);

const coercedId = z.coerce.number().int().min(1).max(INT4_MAX);

export const IdParam = (name: string, description: string) =>
  coercedId.openapi({ param: { name, in: "path" }, description, example: 1 });

/** An optional integer id filter in the query string. */
export const IdQuery = (name: string, description: string) =>
  coercedId.optional().openapi({ param: { name, in: "query" }, description, example: 1 });

/** A reference to a type from another resource's body. */
export const TypeIdRef = DbId.openapi({ description: "A type id.", example: 1 });

/** Where a part is bought; parts and shopping-list items share it. */
export const Seller = text(100).openapi({ example: "LCSC" });

/** A seller's product page: http(s) only, like every link the API stores. */
export const HttpUrl = z
  .url({ protocol: /^https?$/, error: "Expected an http(s) URL." })
  .max(2000)
  // A refinement, not a pattern: a pattern would replace `format: uri` in the document.
  .refine((url) => NO_NUL.test(url), noNul)
  .openapi({ example: "https://www.lcsc.com/product-detail/C2905.html" });

export const BoxNo = DbId.openapi({ example: 7 });
export const LocNo = z.number().int().min(1).max(1000).openapi({ example: 3 });

export const LocationRefSchema = z
  .object({ boxNo: BoxNo, locNo: LocNo })
  .openapi("LocationRef", { description: "A slot: box number and slot number." });

export const locationCode = (boxNo: number, locNo: number) => `${boxNo}-${locNo}`;

export const ItemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const timestamp = () =>
  z.string().openapi({ format: "date-time", example: "2026-11-22T10:15:00.000Z" });
