import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import { searchRoute } from "./search.routes";
import * as service from "./search.service";

export function createSearchRouter(deps: Deps) {
  const { db } = deps;
  return createRouter().openapi(searchRoute, async (c) =>
    c.json(await service.searchParts(db, c.req.valid("query")), 200),
  );
}
