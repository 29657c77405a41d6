import { createRoute } from "@hono/zod-openapi";
import { createdResponse, errorResponses, jsonBody, jsonResponse } from "../../lib/openapi";
import { TypeIdParams, TypeInputSchema, TypeListSchema, TypeSchema } from "./types.schemas";

const tags = ["Types"];

export const listTypesRoute = createRoute({
  method: "get",
  path: "/types",
  operationId: "listTypes",
  tags,
  summary: "List types with their part counts",
  responses: { 200: jsonResponse(TypeListSchema, "All types, by name."), ...errorResponses(401) },
});

export const createTypeRoute = createRoute({
  method: "post",
  path: "/types",
  operationId: "createType",
  tags,
  summary: "Create a type",
  request: { body: jsonBody(TypeInputSchema) },
  responses: {
    201: createdResponse(TypeSchema, "The new type.", "/api/v1/types/{typeId}"),
    ...errorResponses(400, 401, 409),
  },
});

export const getTypeRoute = createRoute({
  method: "get",
  path: "/types/{typeId}",
  operationId: "getType",
  tags,
  summary: "Get a type",
  request: { params: TypeIdParams },
  responses: { 200: jsonResponse(TypeSchema, "The type."), ...errorResponses(400, 401, 404) },
});

export const updateTypeRoute = createRoute({
  method: "patch",
  path: "/types/{typeId}",
  operationId: "updateType",
  tags,
  summary: "Rename a type",
  request: { params: TypeIdParams, body: jsonBody(TypeInputSchema) },
  responses: {
    200: jsonResponse(TypeSchema, "The renamed type."),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const deleteTypeRoute = createRoute({
  method: "delete",
  path: "/types/{typeId}",
  operationId: "deleteType",
  tags,
  summary: "Delete a type no part uses",
  request: { params: TypeIdParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(400, 401, 404, 409) },
});
