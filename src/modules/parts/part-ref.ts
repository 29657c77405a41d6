import { badRequest } from "../../lib/errors";
import { isReferenceGone } from "../../lib/pg-errors";
import type { Db } from "../../platform/db";
import { findPartById } from "./parts.repo";

export const unknownPartField = (field: string, id: string) =>
  badRequest("parts.unknown", `Part ${id} does not exist.`, [
    { path: field, message: `Part ${id} does not exist.` },
  ]);

/** A part referenced by `field` of a request body (400 naming the field when unknown). */
export async function requirePartField(db: Db, field: string, id: string) {
  const part = await findPartById(db, id);
  if (!part) throw unknownPartField(field, id);
  return part;
}

/** A part deleted between `requirePartField` and the write: 400 naming `field`. */
export function throwIfPartGone(error: unknown, field: string, id: string | null | undefined) {
  if (id && isReferenceGone(error, "parts")) throw unknownPartField(field, id);
}
