import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { MoveGoal, PlanMetrics } from "./reorg.planner";

export const planStatuses = ["pending", "ready", "applied", "expired", "failed"] as const;
export type PlanStatus = (typeof planStatuses)[number];

export const moveGoals = ["span", "fill", "gaps", "together", "room"] as const satisfies MoveGoal[];

/**
 * A reorganisation plan: created `pending` together with the job that computes it, `ready`
 * once its moves are stored, `applied` when every move is. Past `expires_at` (24 h after
 * creation) a plan that is not applied can no longer be applied; the maintenance task marks
 * it `expired` and later deletes it.
 */
export const reorgPlansTable = pgTable(
  "reorg_plans",
  {
    id: uuid("id").primaryKey(),
    status: text("status", { enum: planStatuses }).notNull().default("pending"),
    /** Null: as many moves as reaching the ideal layout takes. */
    maxMoves: integer("max_moves"),
    /** Null: every type (and untyped parts). */
    typeIds: integer("type_ids").array(),
    /** The job computing the plan; no foreign key, jobs are pruned on their own schedule. */
    jobId: uuid("job_id"),
    metrics: jsonb("metrics").$type<PlanMetrics>(),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true })
      .default(sql`now() + interval '24 hours'`)
      .notNull(),
  },
  (t) => [
    check(
      "reorg_plans_status_known",
      sql`${t.status} in ('pending', 'ready', 'applied', 'expired', 'failed')`,
    ),
    check("reorg_plans_max_moves_not_negative", sql`${t.maxMoves} >= 0`),
    index("reorg_plans_expires_at_idx").on(t.expiresAt),
  ],
);

/**
 * One move of a plan: the whole quantity of one slot to a free slot. Part and slots are
 * plain values, not foreign keys: a plan is a proposal checked against the stock when it
 * is applied, and must not hold back deleting a part or a box.
 */
export const reorgMovesTable = pgTable(
  "reorg_moves",
  {
    id: uuid("id").primaryKey(),
    /**
     * No foreign key: checking it row by row was up to a third of storing a large plan
     * (8,667 checks, 45–215 ms). Moves are written only by `storePlan` with their plan row
     * locked, and deleted together with it (`deletePlansExpiredBefore`).
     */
    planId: uuid("plan_id").notNull(),
    step: integer("step").notNull(),
    partId: text("part_id").notNull(),
    qty: integer("qty").notNull(),
    fromBoxNo: integer("from_box_no").notNull(),
    fromLocNo: integer("from_loc_no").notNull(),
    toBoxNo: integer("to_box_no").notNull(),
    toLocNo: integer("to_loc_no").notNull(),
    goal: text("goal", { enum: moveGoals }).notNull(),
    reason: text("reason").notNull(),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("reorg_moves_plan_id_step_key").on(t.planId, t.step),
    check("reorg_moves_qty_positive", sql`${t.qty} > 0`),
    check("reorg_moves_step_positive", sql`${t.step} >= 1`),
  ],
);
