import { count, eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { partsTable } from "../parts/parts.table";
import { typesTable } from "./types.table";

const withPartCount = {
  id: typesTable.id,
  name: typesTable.name,
  // Qualified by hand: Drizzle leaves columns of a single-table select unqualified.
  partCount: sql<number>`(select count(*)::int from parts p where p.type_id = "types"."id")`,
};

export function listTypes(db: Db) {
  return db.select(withPartCount).from(typesTable).orderBy(typesTable.name);
}

export async function findTypeById(db: Db, id: number) {
  const [row] = await db.select(withPartCount).from(typesTable).where(eq(typesTable.id, id));
  return row;
}

export async function insertType(db: Db, name: string) {
  const [row] = await db.insert(typesTable).values({ name }).returning({ id: typesTable.id });
  return row!.id;
}

export async function updateTypeName(db: Db, id: number, name: string) {
  const rows = await db
    .update(typesTable)
    .set({ name })
    .where(eq(typesTable.id, id))
    .returning({ id: typesTable.id });
  return rows.length > 0;
}

export async function countPartsOfType(db: Db, id: number) {
  const [row] = await db.select({ n: count() }).from(partsTable).where(eq(partsTable.typeId, id));
  return row?.n ?? 0;
}

export async function deleteType(db: Db, id: number) {
  const rows = await db
    .delete(typesTable)
    .where(eq(typesTable.id, id))
    .returning({ id: typesTable.id });
  return rows.length > 0;
}

/** Every type's id and name, without part counts (the AI helpers' catalogue). */
export function listTypeNames(db: Db) {
  return db
    .select({ id: typesTable.id, name: typesTable.name })
    .from(typesTable)
    .orderBy(typesTable.name);
}
