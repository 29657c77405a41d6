import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { badRequest } from "../../lib/errors";
import type { Db } from "../../platform/db";
import { partsTable } from "./parts.table";

/** A part id in a request body; lower case is accepted and normalised. */
export const PartIdRef = z
  .string()
  .regex(/^[A-Za-z]{4}$/, "Expected a part id of 4 letters, e.g. BZQP.")
  .transform((id) => id.toUpperCase())
  .openapi({ description: "Part id (4 letters; lower case accepted).", example: "BZQP" });

export const unknownPartField = (field: string, id: string) =>
  badRequest("parts.unknown", `Part ${id} does not exist.`, [
    { path: field, message: `Part ${id} does not exist.` },
  ]);

/** The catalogue fields other features copy from a part. */
export async function findPartSummary(db: Db, id: string) {
  const [row] = await db
    .select({
      id: partsTable.id,
      manufacturerCode: partsTable.manufacturerCode,
      description: partsTable.description,
      typeId: partsTable.typeId,
      seller: partsTable.seller,
      sellerLink: partsTable.sellerLink,
    })
    .from(partsTable)
    .where(eq(partsTable.id, id));
  return row;
}

/** A part referenced by `field` of a request (400 naming the field when unknown). */
export async function requirePartField(db: Db, field: string, id: string) {
  const part = await findPartSummary(db, id);
  if (!part) throw unknownPartField(field, id);
  return part;
}

export type PartSummary = NonNullable<Awaited<ReturnType<typeof findPartSummary>>>;
