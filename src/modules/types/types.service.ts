import { isForeignKeyViolation, isReferenceGone, isUniqueViolation } from "../../lib/pg-errors";
import { type Db, withTx } from "../../platform/db";
import { typeInUse, typeNameTaken, typeNotFound, unknownTypeField } from "./types.errors";
import * as repo from "./types.repo";

export async function listTypes(db: Db) {
  return { items: await repo.listTypes(db) };
}

export async function getType(db: Db, id: number) {
  const type = await repo.findTypeById(db, id);
  if (!type) throw typeNotFound(id);
  return type;
}

export async function createType(db: Db, name: string) {
  try {
    const id = await repo.insertType(db, name);
    return await getType(db, id);
  } catch (error) {
    if (isUniqueViolation(error)) throw typeNameTaken(name);
    throw error;
  }
}

export async function renameType(db: Db, id: number, name: string) {
  try {
    if (!(await repo.updateTypeName(db, id, name))) throw typeNotFound(id);
  } catch (error) {
    if (isUniqueViolation(error)) throw typeNameTaken(name);
    throw error;
  }
  return getType(db, id);
}

export async function deleteType(db: Db, id: number) {
  await withTx(db, async (tx) => {
    const parts = await repo.countPartsOfType(tx, id);
    if (parts > 0) throw typeInUse(id, parts);
    try {
      if (!(await repo.deleteType(tx, id))) throw typeNotFound(id);
    } catch (error) {
      // A part created with this type between the count and the delete.
      if (isForeignKeyViolation(error)) throw typeInUse(id);
      throw error;
    }
  });
}

/** Asserts that a type referenced by `field` exists (400 naming the field otherwise). */
export async function assertTypeExists(db: Db, field: string, id: number | null | undefined) {
  if (id == null) return;
  if (!(await repo.findTypeById(db, id))) throw unknownTypeField(field, id);
}

/** A type deleted between `assertTypeExists` and the write: 400 naming `field`. */
export function throwIfTypeGone(error: unknown, field: string, id: number | null | undefined) {
  if (id != null && isReferenceGone(error, "types")) throw unknownTypeField(field, id);
}
