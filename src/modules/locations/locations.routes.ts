import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../lib/openapi";
import { LocationCodeParams, LocationSchema } from "../boxes/boxes.schemas";
import { PartIdParams } from "../parts/parts.schemas";
import {
  PartSuggestionQuery,
  SuggestionListSchema,
  TypeSuggestionQuery,
} from "./suggestions.schemas";

const tags = ["Locations"];

const tiers =
  "Free slots, best first: in boxes already holding the part, then boxes holding parts of its type, then boxes designated for the type, then the first free slots over all boxes; each group in box/slot order. Fewer items when fewer slots are free.";

export const getLocationRoute = createRoute({
  method: "get",
  path: "/locations/{code}",
  operationId: "getLocation",
  tags,
  summary: "Get one slot by its code",
  request: { params: LocationCodeParams },
  responses: {
    200: jsonResponse(LocationSchema, "The slot and the part it holds, if any."),
    ...errorResponses(400, 401, 404),
  },
});

export const suggestPartLocationsRoute = createRoute({
  method: "get",
  path: "/parts/{partId}/location-suggestions",
  operationId: "suggestPartLocations",
  tags,
  summary: "Suggest free slots for more of a part",
  description: tiers,
  request: { params: PartIdParams, query: PartSuggestionQuery },
  responses: {
    200: jsonResponse(SuggestionListSchema, "Suggested slots with reasons."),
    ...errorResponses(400, 401, 404),
  },
});

export const suggestLocationsRoute = createRoute({
  method: "get",
  path: "/location-suggestions",
  operationId: "suggestLocations",
  tags,
  summary: "Suggest free slots for a part not created yet",
  description: `${tiers} An unknown \`typeId\` is 400.`,
  request: { query: TypeSuggestionQuery },
  responses: {
    200: jsonResponse(SuggestionListSchema, "Suggested slots with reasons."),
    ...errorResponses(400, 401),
  },
});
