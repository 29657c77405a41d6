import { randomUUID } from "node:crypto";
import { z } from "@hono/zod-openapi";
import {
  type IdempotentRequest,
  runIdempotent,
  runIdempotentStatement,
} from "../../lib/idempotency";
import { decodeCursor, encodeCursor, toPage } from "../../lib/pagination";
import type { Db } from "../../platform/db";
import { partNotFound } from "../parts/parts.errors";
import { findPartById, fromPartJson, lockPart } from "../parts/parts.repo";
import type { PartDto } from "../parts/parts.schemas";
import { toPartDto } from "../parts/parts.service";
import { listLedgerOfPart } from "./ledger.repo";
import type { LedgerReason } from "./ledger.table";
import {
  changeSlotAnsweringPart,
  changeSlotRecordingAnswerUnderKey,
  explainRefusal,
  inSlotOrder,
  mergeSlots,
  type SlotChange,
  type SlotDelta,
  type StockAnswer,
} from "./stock.repo";
import type { HistoryParams, StockAdd, StockMove, StockRemove } from "./stock.schemas";

/**
 * Holds the part row shared for the rest of the transaction, so the part cannot be
 * deleted under a stock change (deletion locks it exclusively). 404 when it is gone.
 * Every feature that changes stock (receive, build, reorg) calls this first.
 */
export async function lockPartForStockChange(tx: Db, partId: string) {
  if (!(await lockPart(tx, partId, "key share"))) throw partNotFound(partId);
}

/**
 * The part a change statement answered. Keys stored before answers were `StockAnswer`s
 * hold the part itself (for the 24 h such a key lives past an upgrade): it passes through.
 */
const toStockDto = (answer: StockAnswer | PartDto): PartDto =>
  "part" in answer ? toPartDto(fromPartJson(answer.part), answer.locations) : answer;

/**
 * One slot under an idempotency key, as one statement that records its answer (two on a
 * retry). A refusal or a missing part is explained only once no live key's answer wins.
 */
async function changeSlotOnceUnderKey(
  db: Db,
  request: IdempotentRequest & { key: string },
  change: SlotChange,
): Promise<PartDto> {
  let outcome: "refused" | undefined;
  const answer = await runIdempotentStatement<StockAnswer | PartDto>(db, request, async (claim) => {
    const result = await changeSlotRecordingAnswerUnderKey(db, change, claim);
    if (typeof result === "object") return result;
    outcome = result;
    return undefined;
  });
  if (answer) return toStockDto(answer);
  if (outcome === "refused") throw await explainRefusal(db, change);
  throw partNotFound(change.partId);
}

/**
 * Runs a stock change of one part, at most once per idempotency key, and answers the
 * updated part. Each slot is one statement that also answers the part (the last one's
 * answer is the response). One slot is a single statement, atomic by itself, with no
 * transaction around it; with a key, that statement also records its answer under the key
 * (`runIdempotentStatement`). Several slots run in one transaction, in box/slot order so
 * two changes over the same slots cannot deadlock. Answers are stored as the statements
 * give them (`StockAnswer`), so a replay and a first answer map to the part alike.
 */
async function changeStock(
  db: Db,
  request: IdempotentRequest,
  partId: string,
  deltas: SlotDelta[],
  reason: LedgerReason,
  refId: string | null = null,
): Promise<PartDto> {
  const ordered = inSlotOrder(deltas);
  const [only] = ordered;
  if (ordered.length === 1 && only) {
    const change = { partId, ...only, reason, refId };
    if (request.key === undefined) {
      const answer = await changeSlotAnsweringPart(db, change);
      if (!answer) throw partNotFound(partId);
      return toStockDto(answer);
    }
    return changeSlotOnceUnderKey(db, { ...request, key: request.key }, change);
  }
  const apply = async (tx: Db): Promise<StockAnswer> => {
    let answer: StockAnswer | undefined;
    for (const slot of ordered) {
      answer = await changeSlotAnsweringPart(tx, { partId, ...slot, reason, refId });
      if (!answer) throw partNotFound(partId);
    }
    return answer!;
  };
  return toStockDto(await runIdempotent<StockAnswer | PartDto>(db, request, 200, apply));
}

export function addStock(db: Db, partId: string, input: StockAdd, idempotencyKey?: string) {
  const request = { key: idempotencyKey, scope: `addStock:${partId}`, body: input };
  return changeStock(db, request, partId, [{ ...input, delta: input.qty }], "add");
}

export function removeStock(db: Db, partId: string, input: StockRemove, idempotencyKey?: string) {
  const request = { key: idempotencyKey, scope: `removeStock:${partId}`, body: input };
  const deltas = mergeSlots(input.removals).map((slot) => ({ ...slot, delta: -slot.qty }));
  return changeStock(db, request, partId, deltas, "remove");
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
  return changeStock(db, request, partId, deltas, "move", randomUUID());
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
