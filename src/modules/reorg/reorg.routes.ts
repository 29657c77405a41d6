import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders } from "../../lib/idempotency";
import { acceptedResponse, errorResponses, jsonResponse } from "../../lib/openapi";
import { optionalJsonBody } from "../../lib/optional-body";
import {
  PlanIdParams,
  ReorgApplyResultSchema,
  ReorgApplySchema,
  ReorgDashboardSchema,
  ReorgPlanAcceptedSchema,
  ReorgPlanCreateSchema,
  ReorgPlanSchema,
} from "./reorg.schemas";

const tags = ["Reorganisation"];

export const createReorgPlanRoute = createRoute({
  method: "post",
  path: "/reorg/plans",
  operationId: "createReorgPlan",
  tags,
  summary: "Plan a reorganisation of the boxes",
  description:
    "Stores a `pending` plan and hands it to the worker (job kind `reorg.plan`, queue `plans`), which reads the current layout and computes moves that, in priority order, make each type span as few boxes as possible, fill boxes in order without gaps and keep same-type parts together, at most `maxMoves` of them. Poll the job (`Location`) or the plan (`planId`); the plan expires 24 h after creation.",
  request: {
    body: optionalJsonBody(
      ReorgPlanCreateSchema,
      "Optional; default at most 50 moves over every type.",
    ),
  },
  responses: {
    202: acceptedResponse(ReorgPlanAcceptedSchema, "The job computing the plan, and the plan id."),
    ...errorResponses(400, 401),
  },
});

export const getReorgPlanRoute = createRoute({
  method: "get",
  path: "/reorg/plans/{planId}",
  operationId: "getReorgPlan",
  tags,
  summary: "A reorganisation plan with its moves and metrics",
  description:
    "`pending` while the worker computes it (moves empty, metrics null); `ready` with the moves in step order, each a plain sentence, and the metrics before and after them; `expired` once past `expiresAt` unless applied.",
  request: { params: PlanIdParams },
  responses: {
    200: jsonResponse(ReorgPlanSchema, "The plan."),
    ...errorResponses(400, 401, 404),
  },
});

export const applyReorgPlanRoute = createRoute({
  method: "post",
  path: "/reorg/plans/{planId}/apply",
  operationId: "applyReorgPlan",
  tags,
  summary: "Apply a plan's moves to the stock",
  description:
    "Applies every move, or the chosen `moveIds`, in step order and atomically, as stock moves (ledger reason `reorg`, `refId` the plan id). Moves applied before are skipped, so applying twice is harmless; once every move is applied the plan is `applied`. A move that no longer fits the current stock (its part is no longer in `from` with exactly that quantity, or `to` is taken) is 409 naming each such move, and nothing is applied. An expired plan, or one still pending or failed, is 409. Honours `Idempotency-Key`.",
  request: {
    params: PlanIdParams,
    headers: IdempotencyHeaders,
    body: optionalJsonBody(ReorgApplySchema, "Optional; default every move."),
  },
  responses: {
    200: jsonResponse(
      ReorgApplyResultSchema,
      "The plan after applying, and what this request applied.",
    ),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const getReorgDashboardRoute = createRoute({
  method: "get",
  path: "/reorg/dashboard",
  operationId: "getReorgDashboard",
  tags,
  summary: "How well each type is kept together",
  description:
    "Per type: the boxes it spans, the lower bound (the fewest boxes that could hold its slots, largest boxes first), the locations it uses and its distinct parts in stock; with totals over the whole layout (`totals.gaps` and `totals.splitRuns` as in plan metrics).",
  responses: {
    200: jsonResponse(ReorgDashboardSchema, "Every type by name, then untyped parts if any."),
    ...errorResponses(401),
  },
});
