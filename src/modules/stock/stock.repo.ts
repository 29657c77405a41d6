import { and, eq, gte, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { slotNotFound } from "../boxes/boxes.errors";
import { locationsTable } from "../boxes/boxes.table";
import { type LedgerReason, ledgerTable } from "./ledger.table";
import { notEnoughStock, slotHoldsOtherPart } from "./stock.errors";

export interface SlotChange {
  partId: string;
  boxNo: number;
  locNo: number;
  /** Positive to put stock in, negative to take it out; never zero. */
  delta: number;
  reason: LedgerReason;
  refId?: string | null;
}

/**
 * The one way any quantity changes: a conditional update of one slot plus its ledger row.
 * Call it inside a transaction (`withTx`) so a multi-slot change is all or nothing.
 *
 * Adding fills a free slot or tops up the same part; removing never goes below zero and
 * frees the slot at zero. The conditions live in the UPDATE itself, so concurrent changes
 * of the same slot serialise on its row lock and re-check them: no lost updates, no
 * negative stock, no two parts in one slot. Returns the slot's new quantity.
 */
export async function changeSlotQty(tx: Db, change: SlotChange): Promise<number> {
  const { partId, boxNo, locNo, delta } = change;
  const slot = and(eq(locationsTable.boxNo, boxNo), eq(locationsTable.locNo, locNo));
  const rows =
    delta > 0
      ? await tx
          .update(locationsTable)
          .set({ partId, qty: sql`${locationsTable.qty} + ${delta}` })
          .where(and(slot, or(isNull(locationsTable.partId), eq(locationsTable.partId, partId))))
          .returning({ qty: locationsTable.qty })
      : await tx
          .update(locationsTable)
          .set({
            qty: sql`${locationsTable.qty} - ${-delta}`,
            partId: sql`case when ${locationsTable.qty} = ${-delta} then null else ${locationsTable.partId} end`,
          })
          .where(and(slot, eq(locationsTable.partId, partId), gte(locationsTable.qty, -delta)))
          .returning({ qty: locationsTable.qty });
  const updated = rows[0];
  if (!updated) throw await explainRefusal(tx, change);
  await tx.insert(ledgerTable).values({
    partId,
    boxNo,
    locNo,
    deltaQty: delta,
    reason: change.reason,
    refId: change.refId ?? null,
  });
  return updated.qty;
}

async function explainRefusal(tx: Db, { partId, boxNo, locNo, delta }: SlotChange) {
  const [current] = await tx
    .select({ partId: locationsTable.partId, qty: locationsTable.qty })
    .from(locationsTable)
    .where(and(eq(locationsTable.boxNo, boxNo), eq(locationsTable.locNo, locNo)));
  if (!current) return slotNotFound(boxNo, locNo);
  if (delta > 0) return slotHoldsOtherPart(boxNo, locNo, current.partId ?? "another part");
  const held = current.partId === partId ? current.qty : 0;
  return notEnoughStock(partId, boxNo, locNo, held, -delta);
}

export interface SlotDelta {
  boxNo: number;
  locNo: number;
  delta: number;
}

/**
 * Applies slot changes of one part in box/slot order. A fixed order means two
 * transactions touching the same slots lock them in the same sequence: no deadlock.
 */
export async function applySlotDeltas(
  tx: Db,
  partId: string,
  deltas: SlotDelta[],
  reason: LedgerReason,
  refId: string | null = null,
) {
  const ordered = [...deltas].sort((a, b) => a.boxNo - b.boxNo || a.locNo - b.locNo);
  for (const { boxNo, locNo, delta } of ordered) {
    await changeSlotQty(tx, { partId, boxNo, locNo, delta, reason, refId });
  }
}

/** Entries naming the same slot become one, their quantities added. */
export function mergeSlots<T extends { boxNo: number; locNo: number; qty: number }>(
  slots: T[],
): T[] {
  const merged = new Map<string, T>();
  for (const slot of slots) {
    const key = `${slot.boxNo}-${slot.locNo}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, qty: seen.qty + slot.qty } : { ...slot });
  }
  return [...merged.values()];
}

/** Slots holding a part, in box/slot order. */
export function findStockOfPart(db: Db, partId: string) {
  return db
    .select({ boxNo: locationsTable.boxNo, locNo: locationsTable.locNo, qty: locationsTable.qty })
    .from(locationsTable)
    .where(eq(locationsTable.partId, partId))
    .orderBy(locationsTable.boxNo, locationsTable.locNo);
}
