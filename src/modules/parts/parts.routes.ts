import { createRoute } from "@hono/zod-openapi";
import { createdResponse, errorResponses, jsonBody, jsonResponse } from "../../lib/openapi";
import {
  PartCreateSchema,
  PartIdParams,
  PartListQuery,
  PartListSchema,
  PartSchema,
  PartUpdateSchema,
} from "./parts.schemas";

const tags = ["Parts"];

export const listPartsRoute = createRoute({
  method: "get",
  path: "/parts",
  operationId: "listParts",
  tags,
  summary: "List part summaries, filtered and paginated",
  description:
    "Each item is a `PartSummary`: id, manufacturer code, description, type name, tags, total quantity, the codes of the locations holding the part and the thumbnail URL. `GET /parts/{partId}` answers the full part (every catalogue field, each location with its quantity). Keyset pagination: a page never repeats or skips parts that existed when the listing started, even while parts are created between pages.",
  request: { query: PartListQuery },
  responses: {
    200: jsonResponse(PartListSchema, "One page of part summaries."),
    ...errorResponses(400, 401),
  },
});

export const createPartRoute = createRoute({
  method: "post",
  path: "/parts",
  operationId: "createPart",
  tags,
  summary: "Create a part, optionally with initial stock",
  description:
    "The server generates the 4-letter id. The part, its `initialStock` and its `attachDocumentIds` (drafts from photo intake) are stored together or not at all.",
  request: { body: jsonBody(PartCreateSchema) },
  responses: {
    201: createdResponse(PartSchema, "The new part.", "/api/v1/parts/{partId}"),
    ...errorResponses(400, 401, 404, 409, 503),
  },
});

export const getPartRoute = createRoute({
  method: "get",
  path: "/parts/{partId}",
  operationId: "getPart",
  tags,
  summary: "Get a part with its stock",
  request: { params: PartIdParams },
  responses: { 200: jsonResponse(PartSchema, "The part."), ...errorResponses(400, 401, 404) },
});

export const updatePartRoute = createRoute({
  method: "patch",
  path: "/parts/{partId}",
  operationId: "updatePart",
  tags,
  summary: "Change a part's catalogue fields",
  description: "Stock changes go through the stock operations, not here.",
  request: { params: PartIdParams, body: jsonBody(PartUpdateSchema) },
  responses: {
    200: jsonResponse(PartSchema, "The updated part."),
    ...errorResponses(400, 401, 404),
  },
});

export const deletePartRoute = createRoute({
  method: "delete",
  path: "/parts/{partId}",
  operationId: "deletePart",
  tags,
  summary: "Delete a part that holds no stock",
  description: "Refused (409) while any location holds the part; its history goes with it.",
  request: { params: PartIdParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(400, 401, 404, 409) },
});
