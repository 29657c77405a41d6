import { and, asc, eq, getTableColumns, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { type ShoppingStatus, shoppingItemsTable } from "./shopping.table";

export type ShoppingItemRow = typeof shoppingItemsTable.$inferSelect;
export type ShoppingItemInsert = typeof shoppingItemsTable.$inferInsert;
export type ShoppingItemPatch = Partial<
  Omit<ShoppingItemInsert, "id" | "createdAt" | "updatedAt" | "status">
>;

export function listItems(
  db: Db,
  params: { status?: ShoppingStatus; afterId: number; limit: number },
) {
  return db
    .select()
    .from(shoppingItemsTable)
    .where(
      and(
        gt(shoppingItemsTable.id, params.afterId),
        params.status ? eq(shoppingItemsTable.status, params.status) : undefined,
      ),
    )
    .orderBy(asc(shoppingItemsTable.id))
    .limit(params.limit);
}

export async function findItem(db: Db, id: number) {
  const [row] = await db.select().from(shoppingItemsTable).where(eq(shoppingItemsTable.id, id));
  return row;
}

/** Must run inside a transaction: the lock serialises receiving the same item. */
export async function lockItem(tx: Db, id: number) {
  const [row] = await tx
    .select()
    .from(shoppingItemsTable)
    .where(eq(shoppingItemsTable.id, id))
    .for("update");
  return row;
}

export async function insertItem(db: Db, item: ShoppingItemInsert) {
  const [row] = await db.insert(shoppingItemsTable).values(item).returning();
  return row!;
}

export async function updateItem(db: Db, id: number, patch: ShoppingItemPatch) {
  const [row] = await db
    .update(shoppingItemsTable)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(shoppingItemsTable.id, id))
    .returning();
  return row;
}

export async function markReceived(tx: Db, id: number, partId: string) {
  const [row] = await tx
    .update(shoppingItemsTable)
    .set({ partId, status: "received", updatedAt: sql`now()` })
    .where(eq(shoppingItemsTable.id, id))
    .returning();
  return row!;
}

export async function deleteItem(db: Db, id: number) {
  const rows = await db
    .delete(shoppingItemsTable)
    .where(eq(shoppingItemsTable.id, id))
    .returning({ id: shoppingItemsTable.id });
  return rows.length > 0;
}

/**
 * Creates the open item covering a requirement's shortfall, or raises the quantity of the
 * existing one when the shortfall grew. Returns the row only when something changed; the
 * partial unique index on open items per requirement makes this safe under concurrency.
 */
export async function upsertShortageItem(
  tx: Db,
  item: ShoppingItemInsert & { requirementId: number },
) {
  const [row] = await tx
    .insert(shoppingItemsTable)
    .values(item)
    .onConflictDoUpdate({
      target: shoppingItemsTable.requirementId,
      targetWhere: sql`status = 'open'`,
      set: { desiredQty: sql`excluded.desired_qty`, updatedAt: sql`now()` },
      setWhere: sql`${shoppingItemsTable.desiredQty} < excluded.desired_qty`,
    })
    .returning({
      ...getTableColumns(shoppingItemsTable),
      // xmax is 0 on a freshly inserted row version and set on an updated one.
      created: sql<boolean>`(xmax = 0)`,
    });
  return row;
}

/** The open items of the given requirements: at most one each (a partial unique index). */
export function listOpenItemsOfRequirements(db: Db, requirementIds: number[]) {
  return db
    .select()
    .from(shoppingItemsTable)
    .where(
      and(
        inArray(shoppingItemsTable.requirementId, requirementIds),
        eq(shoppingItemsTable.status, "open"),
      ),
    );
}

/** Points the open items of a requirement at the part the requirement now names. */
export async function linkOpenItemsOfRequirement(tx: Db, requirementId: number, partId: string) {
  await tx
    .update(shoppingItemsTable)
    .set({ partId, updatedAt: sql`now()` })
    .where(
      and(
        eq(shoppingItemsTable.requirementId, requirementId),
        eq(shoppingItemsTable.status, "open"),
        sql`${shoppingItemsTable.partId} is null`,
      ),
    );
}
