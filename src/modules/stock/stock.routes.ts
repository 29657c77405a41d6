import { createRoute, type z } from "@hono/zod-openapi";
import { IdempotencyHeaders } from "../../lib/idempotency";
import { errorResponses, jsonBody, jsonResponse } from "../../lib/openapi";
import { PartIdParams, PartSchema } from "../parts/parts.schemas";
import {
  HistoryListSchema,
  HistoryQuery,
  StockAddSchema,
  StockMoveSchema,
  StockRemoveSchema,
} from "./stock.schemas";

const tags = ["Stock"];

/** A stock-changing POST on a part: all of them answer the updated part. */
function stockChangeRoute<Body extends z.ZodType>(spec: {
  op: "add" | "remove" | "move";
  operationId: string;
  summary: string;
  description: string;
  body: Body;
}) {
  return createRoute({
    method: "post",
    path: `/parts/{partId}/stock/${spec.op}`,
    operationId: spec.operationId,
    tags,
    summary: spec.summary,
    description: `${spec.description} Honours \`Idempotency-Key\`.`,
    request: { params: PartIdParams, headers: IdempotencyHeaders, body: jsonBody(spec.body) },
    responses: {
      200: jsonResponse(PartSchema, "The part with its new stock."),
      ...errorResponses(400, 401, 404, 409),
    },
  });
}

export const addStockRoute = stockChangeRoute({
  op: "add",
  operationId: "addStock",
  summary: "Put stock of a part into a slot",
  description:
    "The slot must be free or already hold this part; a slot holding another part is 409. Unknown slots are 404.",
  body: StockAddSchema,
});

export const removeStockRoute = stockChangeRoute({
  op: "remove",
  operationId: "removeStock",
  summary: "Take stock of a part out of one or more slots",
  description:
    "All removals happen or none does: removing more than a slot holds is 409 and changes nothing. Entries naming the same slot are merged (their quantities added). A slot reaching 0 is freed; the part stays in the catalogue.",
  body: StockRemoveSchema,
});

export const moveStockRoute = stockChangeRoute({
  op: "move",
  operationId: "moveStock",
  summary: "Move or split stock of a part between slots",
  description:
    "Takes the sum of `to` out of `from` and puts each target's quantity in, atomically (ledger reason `move`, one `refId` for all rows). Targets naming the same slot are merged; a target equal to `from` is 400; a target holding another part is 409.",
  body: StockMoveSchema,
});

export const getHistoryRoute = createRoute({
  method: "get",
  path: "/parts/{partId}/history",
  operationId: "getPartHistory",
  tags,
  summary: "A part's stock ledger, newest first",
  description:
    "Every quantity change of the part. Per location, the deltas add up to the quantity it holds now.",
  request: { params: PartIdParams, query: HistoryQuery },
  responses: {
    200: jsonResponse(HistoryListSchema, "One page of ledger rows."),
    ...errorResponses(400, 401, 404),
  },
});
