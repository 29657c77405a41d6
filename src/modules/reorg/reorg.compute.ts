import { randomUUID } from "node:crypto";
import { type Db, withTx } from "../../platform/db";
import { planReorganisation, type ReorgPlanResult } from "./reorg.planner";
import * as repo from "./reorg.repo";
import type { PlanStatus } from "./reorg.table";

/** Reports progress 0..1 with a step label (the job's progress). */
type Progress = (fraction: number, step?: string) => Promise<void>;

export type ComputeOutcome =
  | { planId: string; status: Exclude<PlanStatus, "failed">; moves: number }
  | { planId: string; status: "failed"; error: string }
  | { planId: string; status: "missing" };

/** `pending` and `ready` plans past `expiresAt` answer `expired` before the task marks them. */
export function effectiveStatus(plan: repo.PlanRow): PlanStatus {
  if ((plan.status === "pending" || plan.status === "ready") && plan.expired) return "expired";
  return plan.status;
}

/**
 * The planning job's work: reads the current layout, runs the planner and stores its moves
 * and metrics, making the plan ready. Idempotent: a plan still pending (a rerun after a
 * crash or a redelivery) has its moves replaced; a plan already computed answers the same
 * outcome again without planning. A planner error marks the plan `failed` with its message
 * (it would fail the same way on every retry).
 */
export async function computePlan(
  db: Db,
  planId: string,
  progress: Progress = async () => {},
): Promise<ComputeOutcome> {
  const plan = await repo.findPlan(db, planId);
  if (!plan) return { planId, status: "missing" };
  if (plan.status !== "pending") return outcomeOf(db, plan);
  await progress(0.1, "reading the layout");
  const layout = await repo.readLayout(db);
  await progress(0.3, "planning");
  let result: ReorgPlanResult;
  try {
    result = planReorganisation(layout, { maxMoves: plan.maxMoves, typeIds: plan.typeIds });
  } catch (error) {
    const message = `Planning failed: ${error instanceof Error ? error.message : String(error)}`;
    await repo.setPlanStatus(db, planId, "failed", message);
    return { planId, status: "failed", error: message };
  }
  await progress(0.7, "storing the moves");
  const planned = result.moves.map((move) => ({ ...move, id: randomUUID() }));
  return withTx(db, async (tx) => {
    const locked = await repo.findPlan(tx, planId, true);
    if (!locked) return { planId, status: "missing" } as const;
    // A concurrent run finished first: its moves stand.
    if (locked.status !== "pending") return outcomeOf(tx, locked);
    if (locked.expired) {
      await repo.setPlanStatus(tx, planId, "expired");
      return { planId, status: "expired", moves: 0 } as const;
    }
    await repo.storePlan(tx, planId, planned, result.metrics);
    return { planId, status: "ready", moves: planned.length } as const;
  });
}

async function outcomeOf(db: Db, plan: repo.PlanRow): Promise<ComputeOutcome> {
  const status = effectiveStatus(plan);
  if (status === "failed") return { planId: plan.id, status, error: plan.error ?? "failed" };
  const moves = await repo.countMoves(db, plan.id);
  return { planId: plan.id, status, moves };
}
