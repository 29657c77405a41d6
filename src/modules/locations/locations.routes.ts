import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../lib/openapi";
import { LocationCodeParams, LocationSchema } from "../boxes/boxes.schemas";

export const getLocationRoute = createRoute({
  method: "get",
  path: "/locations/{code}",
  operationId: "getLocation",
  tags: ["Locations"],
  summary: "Get one slot by its code",
  request: { params: LocationCodeParams },
  responses: {
    200: jsonResponse(LocationSchema, "The slot and the part it holds, if any."),
    ...errorResponses(400, 401, 404),
  },
});
