import { createRoute } from "@hono/zod-openapi";
import { IdempotencyHeaders } from "../../lib/idempotency";
import { createdResponse, errorResponses, jsonBody, jsonResponse } from "../../lib/openapi";
import { optionalJsonBody } from "../../lib/optional-body";
import {
  ItemIdParams,
  ReceiveResultSchema,
  ReceiveSchema,
  ShoppingItemCreateSchema,
  ShoppingItemPageSchema,
  ShoppingItemSchema,
  ShoppingItemUpdateSchema,
  ShoppingListQuery,
} from "./shopping.schemas";

const tags = ["Shopping List"];

export const listShoppingItemsRoute = createRoute({
  method: "get",
  path: "/shopping-list",
  operationId: "listShoppingItems",
  tags,
  summary: "List shopping-list items",
  description: "Oldest first, paginated by `cursor`; `status` filters open or received items.",
  request: { query: ShoppingListQuery },
  responses: {
    200: jsonResponse(ShoppingItemPageSchema, "A page of items."),
    ...errorResponses(400, 401),
  },
});

export const createShoppingItemRoute = createRoute({
  method: "post",
  path: "/shopping-list",
  operationId: "createShoppingItem",
  tags,
  summary: "Add an item to the shopping list",
  description:
    "For an existing part (`partId`; its catalogue fields fill what the body leaves out) or for a part not in the catalogue yet (`description` required).",
  request: { body: jsonBody(ShoppingItemCreateSchema) },
  responses: {
    201: createdResponse(ShoppingItemSchema, "The new item.", "/api/v1/shopping-list/{itemId}"),
    ...errorResponses(400, 401),
  },
});

export const getShoppingItemRoute = createRoute({
  method: "get",
  path: "/shopping-list/{itemId}",
  operationId: "getShoppingItem",
  tags,
  summary: "Get a shopping-list item",
  request: { params: ItemIdParams },
  responses: {
    200: jsonResponse(ShoppingItemSchema, "The item."),
    ...errorResponses(400, 401, 404),
  },
});

export const updateShoppingItemRoute = createRoute({
  method: "patch",
  path: "/shopping-list/{itemId}",
  operationId: "updateShoppingItem",
  tags,
  summary: "Change a shopping-list item",
  description: "`status` changes only by receiving the item.",
  request: { params: ItemIdParams, body: jsonBody(ShoppingItemUpdateSchema) },
  responses: {
    200: jsonResponse(ShoppingItemSchema, "The updated item."),
    ...errorResponses(400, 401, 404),
  },
});

export const deleteShoppingItemRoute = createRoute({
  method: "delete",
  path: "/shopping-list/{itemId}",
  operationId: "deleteShoppingItem",
  tags,
  summary: "Remove an item from the shopping list",
  request: { params: ItemIdParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(400, 401, 404) },
});

export const receiveShoppingItemRoute = createRoute({
  method: "post",
  path: "/shopping-list/{itemId}/receive",
  operationId: "receiveShoppingItem",
  tags,
  summary: "Receive an item: catalogue its part if needed, stock it, mark it received",
  description:
    "One transaction: creates the part from the item when it has none, adds the stock (ledger reason `receive`, the item id as reference) to the given locations or else to one suggested slot (a slot already holding the part, else the first free slot of the suggestion tiers; when a concurrent change fills that slot first, the next suggestion is used), and marks the item received. Receiving an item twice is 409. Honours `Idempotency-Key`.",
  request: {
    params: ItemIdParams,
    headers: IdempotencyHeaders,
    body: optionalJsonBody(
      ReceiveSchema,
      "Optional; by default all of `desiredQty` into one suggested slot.",
    ),
  },
  responses: {
    200: jsonResponse(ReceiveResultSchema, "The stocked part and the received item."),
    ...errorResponses(400, 401, 404, 409),
  },
});
