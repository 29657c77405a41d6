import { randomUUID } from "node:crypto";
import { runIdempotent } from "../../lib/idempotency";
import { locationCode } from "../../lib/schemas";
import { type Db, withTx } from "../../platform/db";
import { enqueueJob, findJob } from "../jobs/jobs.repo";
import { toJob } from "../jobs/jobs.schemas";
import { changeSlotQty } from "../stock/stock.repo";
import { unknownTypeField } from "../types/types.errors";
import { effectiveStatus } from "./reorg.compute";
import {
  movesNoLongerFit,
  planExpired,
  planNotFound,
  planNotReady,
  unknownMoves,
} from "./reorg.errors";
import { reorgPlanJob } from "./reorg.jobs";
import { measureLayout, typeStats } from "./reorg.planner";
import * as repo from "./reorg.repo";
import {
  DEFAULT_MAX_MOVES,
  type ReorgApply,
  type ReorgPlanCreate,
  type ReorgPlanDto,
} from "./reorg.schemas";

/** How long an expired plan is kept (for its history) before the maintenance task deletes it. */
export const EXPIRED_PLAN_RETENTION = "7 days";

/**
 * Stores a pending plan and the job that computes it in one transaction: the job exists
 * exactly when the plan does. Unknown type ids are 400 naming each.
 */
export function createPlan(db: Db, input: Partial<ReorgPlanCreate>) {
  return withTx(db, async (tx) => {
    const planId = await insertPendingPlan(tx, input);
    const job = await enqueueJob(tx, reorgPlanJob, { planId });
    await repo.setPlanJob(tx, planId, job.id);
    return { ...toJob(job), planId };
  });
}

async function insertPendingPlan(tx: Db, input: Partial<ReorgPlanCreate>): Promise<string> {
  const typeIds = input.typeIds ?? null;
  if (typeIds) {
    const known = await repo.findExistingTypeIds(tx, typeIds);
    const index = typeIds.findIndex((id) => !known.has(id));
    if (index >= 0) throw unknownTypeField(`typeIds.${index}`, typeIds[index]!);
  }
  const id = randomUUID();
  // No body at all reaches here as `{}`: the default cap applies.
  const maxMoves = input.maxMoves === undefined ? DEFAULT_MAX_MOVES : input.maxMoves;
  await repo.insertPlan(tx, { id, maxMoves, typeIds });
  return id;
}

function toPlanDto(plan: repo.PlanRow, moves: repo.MoveRow[]): ReorgPlanDto {
  const slot = (boxNo: number, locNo: number) => ({
    boxNo,
    locNo,
    code: locationCode(boxNo, locNo),
  });
  return {
    id: plan.id,
    status: effectiveStatus(plan),
    maxMoves: plan.maxMoves,
    typeIds: plan.typeIds,
    jobId: plan.jobId,
    createdAt: plan.createdAt.toISOString(),
    expiresAt: plan.expiresAt.toISOString(),
    metrics: plan.metrics,
    error: plan.error,
    moves: moves.map((move) => ({
      id: move.id,
      step: move.step,
      partId: move.partId,
      qty: move.qty,
      from: slot(move.fromBoxNo, move.fromLocNo),
      to: slot(move.toBoxNo, move.toLocNo),
      goal: move.goal,
      reason: move.reason,
      applied: move.appliedAt !== null,
      appliedAt: move.appliedAt?.toISOString() ?? null,
    })),
  };
}

/**
 * The status a client sees: `expired` past `expiresAt` (see `effectiveStatus`), and
 * `failed` with the job's error for a pending plan whose job failed for good (retries used
 * up on errors outside the planner).
 */
async function currentStatus(db: Db, plan: repo.PlanRow) {
  const status = effectiveStatus(plan);
  if (status === "pending" && plan.jobId) {
    const job = await findJob(db, plan.jobId);
    if (job?.status === "failed") return { status: "failed" as const, error: job.error };
  }
  return { status, error: plan.error };
}

export async function getPlan(db: Db, planId: string): Promise<ReorgPlanDto> {
  const plan = await repo.findPlan(db, planId);
  if (!plan) throw planNotFound(planId);
  const dto = toPlanDto(plan, await repo.findMoves(db, planId));
  return { ...dto, ...(await currentStatus(db, plan)) };
}

/**
 * Applies the chosen moves (default all) in step order, in one transaction, through the
 * stock change statement (ledger reason `reorg`, the plan id as reference). The plan row
 * is locked first, so a concurrent apply of the same plan waits and then skips what this
 * one applied. Every move is checked against the locked current stock before anything is
 * written: one that no longer fits is 409 and nothing changes.
 */
export function applyPlan(db: Db, planId: string, input: ReorgApply, idempotencyKey?: string) {
  const request = { key: idempotencyKey, scope: `applyReorgPlan:${planId}`, body: input };
  return runIdempotent(db, request, 200, async (tx) => {
    const plan = await repo.findPlan(tx, planId, true);
    if (!plan) throw planNotFound(planId);
    const { status } = await currentStatus(tx, plan);
    if (status === "expired") throw planExpired(planId, plan.expiresAt);
    if (status === "pending" || status === "failed") throw planNotReady(planId, status);
    const all = await repo.findMoves(tx, planId);
    const chosen = chooseMoves(all, input.moveIds);
    const pending = chosen.filter((move) => move.appliedAt === null);
    if (pending.length > 0) {
      await checkMovesFit(tx, pending);
      for (const move of pending) {
        const change = { partId: move.partId, reason: "reorg" as const, refId: planId };
        await changeSlotQty(tx, {
          ...change,
          boxNo: move.fromBoxNo,
          locNo: move.fromLocNo,
          delta: -move.qty,
        });
        await changeSlotQty(tx, {
          ...change,
          boxNo: move.toBoxNo,
          locNo: move.toLocNo,
          delta: move.qty,
        });
      }
      await repo.markMovesApplied(
        tx,
        planId,
        pending.map((move) => move.step),
      );
    }
    const appliedNow = new Set(pending.map((move) => move.id));
    const everyMoveApplied = all.every(
      (move) => move.appliedAt !== null || appliedNow.has(move.id),
    );
    if (everyMoveApplied && plan.status !== "applied")
      await repo.setPlanStatus(tx, planId, "applied");
    const after = await repo.findPlan(tx, planId);
    return {
      ...toPlanDto(after!, await repo.findMoves(tx, planId)),
      appliedNow: [...appliedNow],
      alreadyApplied: chosen.filter((move) => move.appliedAt !== null).map((move) => move.id),
    };
  });
}

function chooseMoves(all: repo.MoveRow[], moveIds: string[] | undefined) {
  if (!moveIds) return all;
  const byId = new Map(all.map((move) => [move.id, move]));
  const unknown = moveIds.flatMap((id, index) => (byId.has(id) ? [] : [index]));
  if (unknown.length > 0) throw unknownMoves(unknown);
  const wanted = new Set(moveIds);
  return all.filter((move) => wanted.has(move.id));
}

/**
 * Replays the moves over the current stock of their slots (locked, so it cannot change
 * under us): each must find its part with exactly the planned quantity in `from` and a
 * free `to`, after the steps before it. Throws 409 naming every move that does not fit.
 */
async function checkMovesFit(tx: Db, pending: repo.MoveRow[]) {
  const partIds = [...new Set(pending.map((move) => move.partId))].sort();
  const parts = await repo.lockParts(tx, partIds);
  const slots = pending.flatMap((move) => [
    { boxNo: move.fromBoxNo, locNo: move.fromLocNo },
    { boxNo: move.toBoxNo, locNo: move.toLocNo },
  ]);
  const held = new Map<string, { partId: string | null; qty: number }>();
  for (const row of await repo.lockSlots(tx, slots)) {
    held.set(locationCode(row.boxNo, row.locNo), { partId: row.partId, qty: row.qty });
  }
  const describe = (code: string) => {
    const slot = held.get(code);
    if (!slot) return `${code} no longer exists`;
    return slot.partId === null
      ? `${code} is empty`
      : `${code} holds ${slot.qty} of ${slot.partId}`;
  };
  const stale: string[] = [];
  for (const move of pending) {
    const from = locationCode(move.fromBoxNo, move.fromLocNo);
    const to = locationCode(move.toBoxNo, move.toLocNo);
    const source = held.get(from);
    const target = held.get(to);
    const problems: string[] = [];
    if (!parts.has(move.partId)) problems.push(`part ${move.partId} no longer exists`);
    else if (source?.partId !== move.partId || source.qty !== move.qty)
      problems.push(describe(from));
    if (!target || target.partId !== null) problems.push(describe(to));
    if (problems.length > 0) {
      stale.push(
        `Step ${move.step} (${move.qty} of ${move.partId} from ${from} to ${to}): ${problems.join(", ")}.`,
      );
      continue;
    }
    held.set(from, { partId: null, qty: 0 });
    held.set(to, { partId: move.partId, qty: move.qty });
  }
  if (stale.length > 0) throw movesNoLongerFit(stale);
}

/** Per type: boxes spanned, the lower bound, slots used and parts, with layout totals. */
export async function getDashboard(db: Db) {
  const layout = await repo.readLayout(db);
  const stats = new Map(typeStats(layout.boxes, layout.slots).map((s) => [s.typeId, s]));
  const row = (typeId: number | null, typeName: string | null) => {
    const s = stats.get(typeId);
    return {
      typeId,
      typeName,
      boxesSpanned: s?.boxesSpanned ?? 0,
      lowerBound: s?.lowerBound ?? 0,
      slotsUsed: s?.slotsUsed ?? 0,
      parts: s?.parts ?? 0,
      boxes: s?.boxes ?? [],
    };
  };
  const items = (await repo.findTypes(db)).map((type) => row(type.id, type.name));
  if (stats.has(null)) items.push(row(null, null));
  return { items, totals: measureLayout(layout.boxes, layout.slots) };
}

/** Maintenance: unapplied plans past expiry become `expired`; long-expired plans are deleted. */
export async function expireAndDeletePlans(db: Db) {
  const expired = await repo.expirePlans(db);
  const deleted = await repo.deletePlansExpiredBefore(db, EXPIRED_PLAN_RETENTION);
  return { expired, deleted };
}
