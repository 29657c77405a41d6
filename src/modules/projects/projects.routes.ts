import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders } from "../../lib/idempotency";
import {
  createdResponse,
  errorResponses,
  jsonBody,
  jsonResponse,
  problemResponseOf,
} from "../../lib/openapi";
import { optionalJsonBody } from "../../lib/optional-body";
import {
  BuildConflictSchema,
  BuildResultSchema,
  BuildSchema,
  KitsQuery,
  ProjectCreateSchema,
  ProjectDetailSchema,
  ProjectIdParams,
  ProjectListQuery,
  ProjectPageSchema,
  ProjectUpdateSchema,
  RequirementCreateSchema,
  RequirementIdParams,
  RequirementSchema,
  RequirementUpdateSchema,
  ShortagesResultSchema,
  ShortagesSchema,
} from "./projects.schemas";

const tags = ["Projects"];

export const listProjectsRoute = createRoute({
  method: "get",
  path: "/projects",
  operationId: "listProjects",
  tags,
  summary: "List projects",
  description: "Oldest first, paginated by `cursor`.",
  request: { query: ProjectListQuery },
  responses: {
    200: jsonResponse(ProjectPageSchema, "A page of projects."),
    ...errorResponses(400, 401),
  },
});

export const createProjectRoute = createRoute({
  method: "post",
  path: "/projects",
  operationId: "createProject",
  tags,
  summary: "Create a project",
  request: { body: jsonBody(ProjectCreateSchema) },
  responses: {
    201: createdResponse(
      ProjectDetailSchema,
      "The new project (no requirements yet).",
      "/api/v1/projects/{projectId}",
    ),
    ...errorResponses(400, 401),
  },
});

export const getProjectRoute = createRoute({
  method: "get",
  path: "/projects/{projectId}",
  operationId: "getProject",
  tags,
  summary: "Get a project with stock coverage for a number of kits",
  description:
    "Each requirement carries its need for `kits` copies, the stock available, the shortfall and a status; a placeholder is always `missing` and names a `matchingPartId` when a catalogued part has its manufacturer code.",
  request: { params: ProjectIdParams, query: KitsQuery },
  responses: {
    200: jsonResponse(ProjectDetailSchema, "The project and its coverage."),
    ...errorResponses(400, 401, 404),
  },
});

export const updateProjectRoute = createRoute({
  method: "patch",
  path: "/projects/{projectId}",
  operationId: "updateProject",
  tags,
  summary: "Rename a project or change its notes",
  request: { params: ProjectIdParams, body: jsonBody(ProjectUpdateSchema) },
  responses: {
    200: jsonResponse(ProjectDetailSchema, "The updated project."),
    ...errorResponses(400, 401, 404),
  },
});

export const deleteProjectRoute = createRoute({
  method: "delete",
  path: "/projects/{projectId}",
  operationId: "deleteProject",
  tags,
  summary: "Delete a project and its requirements",
  description: "Shopping-list items made from its shortages stay, unlinked.",
  request: { params: ProjectIdParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(400, 401, 404) },
});

export const createRequirementRoute = createRoute({
  method: "post",
  path: "/projects/{projectId}/requirements",
  operationId: "createRequirement",
  tags,
  summary: "Add a requirement: a part or a placeholder, with a quantity per kit",
  request: { params: ProjectIdParams, body: jsonBody(RequirementCreateSchema) },
  responses: {
    201: createdResponse(
      RequirementSchema,
      "The requirement with its coverage for one kit.",
      "/api/v1/projects/{projectId}/requirements/{requirementId}",
    ),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const getRequirementRoute = createRoute({
  method: "get",
  path: "/projects/{projectId}/requirements/{requirementId}",
  operationId: "getRequirement",
  tags,
  summary: "Get a requirement with its stock coverage for a number of kits",
  request: { params: RequirementIdParams, query: KitsQuery },
  responses: {
    200: jsonResponse(RequirementSchema, "The requirement with its coverage for `kits` copies."),
    ...errorResponses(400, 401, 404),
  },
});

export const updateRequirementRoute = createRoute({
  method: "patch",
  path: "/projects/{projectId}/requirements/{requirementId}",
  operationId: "updateRequirement",
  tags,
  summary: "Change a requirement's quantity, or link a placeholder to a part",
  description:
    "Setting `partId` on a placeholder links it (the placeholder is dropped) and points the open shopping-list items made for it at that part.",
  request: { params: RequirementIdParams, body: jsonBody(RequirementUpdateSchema) },
  responses: {
    200: jsonResponse(RequirementSchema, "The requirement with its coverage for one kit."),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const deleteRequirementRoute = createRoute({
  method: "delete",
  path: "/projects/{projectId}/requirements/{requirementId}",
  operationId: "deleteRequirement",
  tags,
  summary: "Remove a requirement",
  request: { params: RequirementIdParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(400, 401, 404) },
});

export const shortagesToShoppingListRoute = createRoute({
  method: "post",
  path: "/projects/{projectId}/shortages-to-shopping-list",
  operationId: "addShortagesToShoppingList",
  tags,
  summary: "Put every shortfall for a number of kits on the shopping list",
  description:
    "One open item per short requirement (placeholders included). Running it again creates nothing new: it only raises the quantity of items whose shortfall grew. Every run answers the items that now cover the shortfalls, so a repeated run answers the same items.",
  request: {
    params: ProjectIdParams,
    body: optionalJsonBody(ShortagesSchema, "Optional; `kits` defaults to 1."),
  },
  responses: {
    200: jsonResponse(ShortagesResultSchema, "The open items covering the shortfalls."),
    ...errorResponses(400, 401, 404),
  },
});

export const buildProjectRoute = createRoute({
  method: "post",
  path: "/projects/{projectId}/build",
  operationId: "buildProject",
  tags,
  summary: "Build kits: take the required stock out of the boxes",
  description:
    "Removes requiredQty × kits of every required part, from the picks or else from the emptiest slots first (freeing them). All or nothing: short stock is one 409 (`projects.insufficient_stock`) whose `shortages` lists every short requirement — parts and placeholders alike (a placeholder has no stock until linked) — each with required, available and shortfall. Ledger rows carry reason `build` and the project id as reference. Honours `Idempotency-Key`.",
  request: {
    params: ProjectIdParams,
    headers: IdempotencyHeaders,
    body: optionalJsonBody(BuildSchema, "Optional; `kits` defaults to 1, no picks."),
  },
  responses: {
    200: jsonResponse(BuildResultSchema, "What was taken from which slot."),
    ...errorResponses(400, 401, 404),
    409: problemResponseOf(BuildConflictSchema, "The build cannot run; nothing was deducted."),
  },
});
