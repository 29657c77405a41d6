import { createRoute } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../lib/openapi";
import { SearchQuery, SearchResultSchema } from "./search.schemas";

export const searchRoute = createRoute({
  method: "get",
  path: "/search",
  operationId: "searchParts",
  tags: ["Search"],
  summary: "Find parts from one search box",
  description:
    "Searches part ids, manufacturer codes (fragments too: `g5q` finds `G5Q-1A4`), manufacturers, descriptions, tags, type names, sellers and the file names of uploaded documents, forgiving small typos (in part fields). An exact part id ranks first, an exact manufacturer code next, then the rest by relevance. Each hit carries its stock and locations.",
  request: { query: SearchQuery },
  responses: {
    200: jsonResponse(SearchResultSchema, "The best hits, best first."),
    ...errorResponses(400, 401),
  },
});
