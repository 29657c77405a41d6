import { randomUUID } from "node:crypto";
import { z } from "@hono/zod-openapi";
import { type IdempotentRequest, runIdempotent } from "../../lib/idempotency";
import { decodeCursor, encodeCursor, toPage } from "../../lib/pagination";
import type { Db } from "../../platform/db";
import { partNotFound } from "../parts/parts.errors";
import { findPartById, lockPart } from "../parts/parts.repo";
import type { PartDto, StockSlot } from "../parts/parts.schemas";
import { getPart } from "../parts/parts.service";
import { listLedgerOfPart } from "./ledger.repo";
import type { LedgerReason } from "./ledger.table";
import { changeSlotQty } from "./stock.repo";
import type { HistoryParams, StockAdd, StockMove, StockRemove } from "./stock.schemas";

interface SlotDelta {
  boxNo: number;
  locNo: number;
  delta: number;
}

/**
 * Holds the part row shared for the rest of the transaction, so the part cannot be
 * deleted under a stock change (deletion locks it exclusively). 404 when it is gone.
 * Every feature that changes stock (receive, build, reorg) calls this first.
 */
export async function lockPartForStockChange(tx: Db, partId: string) {
  if (!(await lockPart(tx, partId, "key share"))) throw partNotFound(partId);
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
export function mergeSlots(slots: StockSlot[]): StockSlot[] {
  const merged = new Map<string, StockSlot>();
  for (const slot of slots) {
    const key = `${slot.boxNo}-${slot.locNo}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, qty: seen.qty + slot.qty } : { ...slot });
  }
  return [...merged.values()];
}

/**
 * Runs a stock change of one part in one transaction, at most once per idempotency key,
 * and answers the updated part.
 */
function changeStock(
  db: Db,
  request: IdempotentRequest,
  partId: string,
  change: (tx: Db) => Promise<void>,
) {
  return runIdempotent(db, request, 200, async (tx): Promise<PartDto> => {
    await lockPartForStockChange(tx, partId);
    await change(tx);
    return getPart(tx, partId);
  });
}

export function addStock(db: Db, partId: string, input: StockAdd, idempotencyKey?: string) {
  const request = { key: idempotencyKey, scope: `addStock:${partId}`, body: input };
  return changeStock(db, request, partId, (tx) =>
    applySlotDeltas(tx, partId, [{ ...input, delta: input.qty }], "add"),
  );
}

export function removeStock(db: Db, partId: string, input: StockRemove, idempotencyKey?: string) {
  const request = { key: idempotencyKey, scope: `removeStock:${partId}`, body: input };
  const deltas = mergeSlots(input.removals).map((slot) => ({ ...slot, delta: -slot.qty }));
  return changeStock(db, request, partId, (tx) => applySlotDeltas(tx, partId, deltas, "remove"));
}

/** Takes the sum of the targets out of `from` and puts each target's share in. */
export function moveStock(db: Db, partId: string, input: StockMove, idempotencyKey?: string) {
  const request = { key: idempotencyKey, scope: `moveStock:${partId}`, body: input };
  const targets = mergeSlots(input.to);
  const total = targets.reduce((sum, slot) => sum + slot.qty, 0);
  const deltas = [
    { ...input.from, delta: -total },
    ...targets.map((slot) => ({ ...slot, delta: slot.qty })),
  ];
  return changeStock(db, request, partId, (tx) =>
    applySlotDeltas(tx, partId, deltas, "move", randomUUID()),
  );
}

const HistoryCursor = z.tuple([z.literal("ledger"), z.number().int().min(1)]);

export async function getHistory(db: Db, partId: string, params: HistoryParams) {
  if (!(await findPartById(db, partId))) throw partNotFound(partId);
  const before = decodeCursor(params.cursor, HistoryCursor);
  const rows = await listLedgerOfPart(db, { partId, beforeId: before?.[1], limit: params.limit });
  return toPage(
    rows,
    params.limit,
    (row) => ({ ...row, at: row.at.toISOString() }),
    (row) => encodeCursor(["ledger", row.id]),
  );
}
