import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import * as routes from "./types.routes";
import * as service from "./types.service";

export function createTypesRouter({ db }: Deps) {
  return createRouter()
    .openapi(routes.listTypesRoute, async (c) => c.json(await service.listTypes(db), 200))
    .openapi(routes.createTypeRoute, async (c) => {
      const type = await service.createType(db, c.req.valid("json").name);
      c.header("Location", `/api/v1/types/${type.id}`);
      return c.json(type, 201);
    })
    .openapi(routes.getTypeRoute, async (c) =>
      c.json(await service.getType(db, c.req.valid("param").typeId), 200),
    )
    .openapi(routes.updateTypeRoute, async (c) => {
      const { typeId } = c.req.valid("param");
      return c.json(await service.renameType(db, typeId, c.req.valid("json").name), 200);
    })
    .openapi(routes.deleteTypeRoute, async (c) => {
      await service.deleteType(db, c.req.valid("param").typeId);
      return c.body(null, 204);
    });
}
