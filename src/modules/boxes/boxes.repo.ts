import { and, asc, eq, gt, sql } from "drizzle-orm";
import { type Db, preparedFor } from "../../platform/db";
import { partsTable } from "../parts/parts.table";
import { boxesTable, locationsTable } from "./boxes.table";

// Serialises box-number assignment so concurrent creates get consecutive numbers.
const BOX_NUMBER_LOCK = 727_001;

const boxColumns = {
  boxNo: boxesTable.boxNo,
  description: boxesTable.description,
  capacity: boxesTable.capacity,
  designatedTypeId: boxesTable.designatedTypeId,
  // Qualified by hand: Drizzle leaves columns of a single-table select unqualified.
  occupied: sql<number>`(select count(*)::int from locations l where l.box_no = "boxes"."box_no" and l.part_id is not null)`,
  createdAt: boxesTable.createdAt,
  updatedAt: boxesTable.updatedAt,
};

export function listBoxes(db: Db) {
  return db.select(boxColumns).from(boxesTable).orderBy(asc(boxesTable.boxNo));
}

const findBoxQuery = preparedFor((db) =>
  db
    .select(boxColumns)
    .from(boxesTable)
    .where(eq(boxesTable.boxNo, sql.placeholder("boxNo")))
    .prepare("find_box"),
);

export async function findBox(db: Db, boxNo: number) {
  const [row] = await findBoxQuery(db).execute({ boxNo });
  return row;
}

export async function lockBox(db: Db, boxNo: number) {
  const [row] = await db
    .select({ boxNo: boxesTable.boxNo, capacity: boxesTable.capacity })
    .from(boxesTable)
    .where(eq(boxesTable.boxNo, boxNo))
    .for("update");
  return row;
}

/** Must run inside a transaction: the lock is held until it ends. */
export async function nextBoxNo(tx: Db): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${BOX_NUMBER_LOCK})`);
  const [row] = await tx
    .select({ next: sql<number>`coalesce(max(${boxesTable.boxNo}), 0)::int + 1` })
    .from(boxesTable);
  return row!.next;
}

export async function insertBox(
  db: Db,
  box: { boxNo: number; description: string; capacity: number; designatedTypeId: number | null },
) {
  await db.insert(boxesTable).values(box);
}

export async function updateBox(
  db: Db,
  boxNo: number,
  patch: { description?: string; capacity?: number; designatedTypeId?: number | null },
) {
  await db
    .update(boxesTable)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(boxesTable.boxNo, boxNo));
}

/** Adds slots `from..to` to a box. */
export async function insertSlots(db: Db, boxNo: number, from: number, to: number) {
  if (to < from) return;
  const rows = Array.from({ length: to - from + 1 }, (_, i) => ({ boxNo, locNo: from + i }));
  await db.insert(locationsTable).values(rows);
}

export async function deleteSlotsAbove(db: Db, boxNo: number, capacity: number) {
  await db
    .delete(locationsTable)
    .where(and(eq(locationsTable.boxNo, boxNo), gt(locationsTable.locNo, capacity)));
}

/**
 * Locks every slot of a box above `minLocNo` and returns those holding stock. Locking
 * all of them, not only the occupied ones, waits out a stock change filling a free slot.
 */
export async function lockSlotsReturningOccupied(db: Db, boxNo: number, minLocNo = 0) {
  const rows = await db
    .select({ locNo: locationsTable.locNo, partId: locationsTable.partId })
    .from(locationsTable)
    .where(and(eq(locationsTable.boxNo, boxNo), gt(locationsTable.locNo, minLocNo)))
    .orderBy(asc(locationsTable.locNo))
    .for("update");
  return rows.filter((row) => row.partId !== null).map((row) => row.locNo);
}

export async function deleteBox(db: Db, boxNo: number) {
  await db.delete(boxesTable).where(eq(boxesTable.boxNo, boxNo));
}

const slotColumns = {
  boxNo: locationsTable.boxNo,
  locNo: locationsTable.locNo,
  qty: locationsTable.qty,
  partId: partsTable.id,
  description: partsTable.description,
  manufacturerCode: partsTable.manufacturerCode,
};

const findSlotsOfBoxQuery = preparedFor((db) =>
  db
    .select(slotColumns)
    .from(locationsTable)
    .leftJoin(partsTable, eq(partsTable.id, locationsTable.partId))
    .where(eq(locationsTable.boxNo, sql.placeholder("boxNo")))
    .orderBy(asc(locationsTable.locNo))
    .prepare("find_slots_of_box"),
);

/** Every slot of a box with the part it holds. */
export function findSlotsOfBox(db: Db, boxNo: number) {
  return findSlotsOfBoxQuery(db).execute({ boxNo });
}

export async function findSlot(db: Db, boxNo: number, locNo: number) {
  const [row] = await db
    .select(slotColumns)
    .from(locationsTable)
    .leftJoin(partsTable, eq(partsTable.id, locationsTable.partId))
    .where(and(eq(locationsTable.boxNo, boxNo), eq(locationsTable.locNo, locNo)));
  return row;
}

export type SlotRow = Awaited<ReturnType<typeof findSlotsOfBox>>[number];
export type BoxRow = NonNullable<Awaited<ReturnType<typeof findBox>>>;
