import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import * as routes from "./parts.routes";
import * as service from "./parts.service";

export function createPartsRouter(deps: Deps) {
  const { db } = deps;
  return createRouter()
    .openapi(routes.listPartsRoute, async (c) =>
      c.json(await service.listParts(db, c.req.valid("query")), 200),
    )
    .openapi(routes.createPartRoute, async (c) => {
      const part = await service.createPart(deps, c.req.valid("json"));
      c.header("Location", `/api/v1/parts/${part.id}`);
      return c.json(part, 201);
    })
    .openapi(routes.getPartRoute, async (c) =>
      c.json(await service.getPart(db, c.req.valid("param").partId), 200),
    )
    .openapi(routes.updatePartRoute, async (c) => {
      const { partId } = c.req.valid("param");
      return c.json(await service.updatePart(db, partId, c.req.valid("json")), 200);
    })
    .openapi(routes.deletePartRoute, async (c) => {
      await service.deletePart(deps, c.req.valid("param").partId);
      return c.body(null, 204);
    });
}
