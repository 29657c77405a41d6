import { z } from "@hono/zod-openapi";
import { BoxNo, LocNo, TypeIdRef, timestamp } from "../../lib/schemas";
import { JobSchema } from "../jobs/jobs.schemas";
import { moveGoals, planStatuses } from "./reorg.table";

export const DEFAULT_MAX_MOVES = 50;
export const MAX_MOVES_LIMIT = 1_000_000;

const uuidExample = "5d0c9a3e-8f1b-4b7a-9c2e-1f3a6b8d0e42";

export const PlanId = z
  .uuid({ error: "Expected a plan id (a UUID)." })
  .toLowerCase()
  .openapi({ example: uuidExample });

export const PlanIdParams = z.object({
  planId: PlanId.openapi({ param: { name: "planId", in: "path" } }),
});

export const ReorgPlanCreateSchema = z
  .object({
    maxMoves: z
      .number()
      .int()
      .min(0)
      .max(MAX_MOVES_LIMIT)
      .nullable()
      .default(DEFAULT_MAX_MOVES)
      .openapi({
        description: `At most this many moves (default ${DEFAULT_MAX_MOVES}); \`null\` for no limit (as many as reaching the ideal layout takes). With a limit the planner keeps only moves that improve the layout, the most useful first.`,
        example: 50,
      }),
    typeIds: z
      .array(TypeIdRef)
      .min(1)
      .max(500)
      .refine((ids) => new Set(ids).size === ids.length, "Type ids must not repeat.")
      .optional()
      .openapi({
        description:
          "Plan only these types: other parts stay where they are. Default: every type, and parts without a type as a group of their own.",
        example: [1, 3],
      }),
  })
  .openapi("ReorgPlanCreate");
export type ReorgPlanCreate = z.infer<typeof ReorgPlanCreateSchema>;

export const ReorgPlanAcceptedSchema = JobSchema.extend({
  planId: z.string().openapi({
    format: "uuid",
    description: "The plan being computed: `GET /api/v1/reorg/plans/{planId}`.",
    example: uuidExample,
  }),
}).openapi("ReorgPlanAccepted", {
  description: "The job computing the plan (kind `reorg.plan`), with the plan's id.",
});

export const ReorgSlotSchema = z
  .object({ boxNo: BoxNo, locNo: LocNo, code: z.string().openapi({ example: "3-12" }) })
  .openapi("ReorgSlot");

export const ReorgMoveSchema = z
  .object({
    id: z.string().openapi({ format: "uuid", example: uuidExample }),
    step: z.number().int().openapi({
      description: "Moves are applied in step order; each step is valid after the ones before.",
      example: 1,
    }),
    partId: z.string().openapi({ example: "ABCD" }),
    qty: z.number().int().openapi({
      description: "The whole quantity of the `from` slot; the move frees it.",
      example: 20,
    }),
    from: ReorgSlotSchema,
    to: ReorgSlotSchema.openapi({ description: "A slot that is free when this step runs." }),
    goal: z.enum(moveGoals).openapi({
      description:
        "`span`: fewer boxes for the type; `fill`: the type's boxes fill one after another; `gaps`: the box fills from slot 1; `together`: the type's slots in the box sit side by side; `room`: frees a slot a later step needs.",
      example: "span",
    }),
    reason: z.string().openapi({
      example: "Move 20 of ABCD from 3-12 to 2-14 to keep all Relays in box 2",
    }),
    applied: z.boolean(),
    appliedAt: timestamp().nullable(),
  })
  .openapi("ReorgMove");

export const ReorgMetricsSchema = z
  .object({
    boxesSpanned: z.number().int().openapi({
      description: "Summed over the planned types: boxes holding at least one of its slots.",
      example: 41,
    }),
    lowerBound: z.number().int().openapi({
      description:
        "Summed over the planned types: the fewest boxes that could hold its slots (largest boxes first).",
      example: 17,
    }),
    excessBoxes: z.number().int().openapi({ description: "boxesSpanned − lowerBound." }),
    typesAtLowerBound: z.number().int(),
    types: z.number().int().openapi({ description: "Planned types with stock." }),
    slotsUsed: z.number().int().openapi({ description: "Stocked slots of the planned types." }),
    gaps: z.number().int().openapi({
      description: "Over all boxes: empty slots before the last stocked slot of their box.",
    }),
    splitRuns: z.number().int().openapi({
      description:
        "Over planned types and boxes: runs of a type's slots in a box beyond the first (0 = each type's slots sit side by side).",
    }),
    boxesUsed: z.number().int().openapi({ description: "Boxes holding any stock." }),
  })
  .openapi("ReorgMetrics");

export const ReorgPlanMetricsSchema = z
  .object({
    before: ReorgMetricsSchema,
    after: ReorgMetricsSchema.openapi({ description: "Once every move of the plan is applied." }),
    ideal: ReorgMetricsSchema.openapi({
      description: "The layout the planner aims for; reached when idealMoves ≤ maxMoves.",
    }),
    idealMoves: z.number().int().openapi({
      description: "Moves an unlimited plan would take to reach the ideal layout.",
    }),
  })
  .openapi("ReorgPlanMetrics");

export const ReorgPlanSchema = z
  .object({
    id: z.string().openapi({ format: "uuid", example: uuidExample }),
    status: z.enum(planStatuses).openapi({
      description:
        "`pending` until the worker has computed it, then `ready`; `applied` once every move is; `expired` 24 h after creation unless applied; `failed` when planning failed (`error`).",
    }),
    maxMoves: z.number().int().nullable(),
    typeIds: z.array(z.number().int()).nullable(),
    jobId: z.string().nullable().openapi({ format: "uuid", description: "The planning job." }),
    createdAt: timestamp(),
    expiresAt: timestamp(),
    metrics: z.union([ReorgPlanMetricsSchema, z.null()]).openapi({
      description: "Null until the plan is ready.",
    }),
    error: z.string().nullable(),
    moves: z.array(ReorgMoveSchema).openapi({ description: "In step order." }),
  })
  .openapi("ReorgPlan");
export type ReorgPlanDto = z.infer<typeof ReorgPlanSchema>;

export const ReorgApplySchema = z
  .object({
    moveIds: z
      .array(z.uuid({ error: "Expected a move id (a UUID)." }).toLowerCase())
      .min(1)
      .max(MAX_MOVES_LIMIT)
      .optional()
      .openapi({
        description:
          "Apply only these moves (still in step order); default every move. Moves already applied are skipped.",
      }),
  })
  .openapi("ReorgApply");
export type ReorgApply = z.infer<typeof ReorgApplySchema>;

export const ReorgApplyResultSchema = ReorgPlanSchema.extend({
  appliedNow: z
    .array(z.string().openapi({ format: "uuid" }))
    .openapi({ description: "Moves this request applied." }),
  alreadyApplied: z
    .array(z.string().openapi({ format: "uuid" }))
    .openapi({ description: "Chosen moves that were applied before and were skipped." }),
}).openapi("ReorgApplyResult");

export const ReorgTypeStatsSchema = z
  .object({
    typeId: z.number().int().nullable().openapi({ description: "Null: parts without a type." }),
    typeName: z.string().nullable().openapi({ example: "Relay" }),
    boxesSpanned: z.number().int().openapi({ example: 3 }),
    lowerBound: z.number().int().openapi({
      description: "The fewest boxes that could hold this type's slots.",
      example: 1,
    }),
    slotsUsed: z
      .number()
      .int()
      .openapi({ description: "Locations holding the type.", example: 14 }),
    parts: z.number().int().openapi({ description: "Distinct parts in stock.", example: 9 }),
    boxes: z.array(z.number().int()).openapi({ description: "Box numbers, ascending." }),
  })
  .openapi("ReorgTypeStats");

export const ReorgDashboardSchema = z
  .object({
    items: z.array(ReorgTypeStatsSchema).openapi({
      description:
        "Every type by name (with zeros when it has no stock), then untyped parts if any.",
    }),
    totals: ReorgMetricsSchema,
  })
  .openapi("ReorgDashboard");
