import { createRoute } from "@hono/zod-openapi";
import { createdResponse, errorResponses, jsonBody, jsonResponse } from "../../lib/openapi";
import {
  BoxCreateSchema,
  BoxDetailSchema,
  BoxListSchema,
  BoxNoParams,
  BoxUpdateSchema,
} from "./boxes.schemas";

const tags = ["Boxes"];

export const listBoxesRoute = createRoute({
  method: "get",
  path: "/boxes",
  operationId: "listBoxes",
  tags,
  summary: "List boxes with their usage",
  responses: { 200: jsonResponse(BoxListSchema, "All boxes, by number."), ...errorResponses(401) },
});

export const createBoxRoute = createRoute({
  method: "post",
  path: "/boxes",
  operationId: "createBox",
  tags,
  summary: "Create a box with its slots",
  description:
    "The server assigns the next box number (one more than the highest) and creates slots 1..capacity.",
  request: { body: jsonBody(BoxCreateSchema) },
  responses: {
    201: createdResponse(BoxDetailSchema, "The new box and its slots.", "/api/v1/boxes/{boxNo}"),
    ...errorResponses(400, 401),
  },
});

export const getBoxRoute = createRoute({
  method: "get",
  path: "/boxes/{boxNo}",
  operationId: "getBox",
  tags,
  summary: "Get a box and what each slot holds",
  request: { params: BoxNoParams },
  responses: {
    200: jsonResponse(BoxDetailSchema, "The box and its slots."),
    ...errorResponses(400, 401, 404),
  },
});

export const updateBoxRoute = createRoute({
  method: "patch",
  path: "/boxes/{boxNo}",
  operationId: "updateBox",
  tags,
  summary: "Change a box's description, capacity or designated type",
  request: { params: BoxNoParams, body: jsonBody(BoxUpdateSchema) },
  responses: {
    200: jsonResponse(BoxDetailSchema, "The updated box."),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const deleteBoxRoute = createRoute({
  method: "delete",
  path: "/boxes/{boxNo}",
  operationId: "deleteBox",
  tags,
  summary: "Delete an empty box",
  request: { params: BoxNoParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(400, 401, 404, 409) },
});
