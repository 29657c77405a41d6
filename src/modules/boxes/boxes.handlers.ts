import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import * as routes from "./boxes.routes";
import * as service from "./boxes.service";

export function createBoxesRouter({ db }: Deps) {
  return createRouter()
    .openapi(routes.listBoxesRoute, async (c) => c.json(await service.listBoxes(db), 200))
    .openapi(routes.createBoxRoute, async (c) => {
      const box = await service.createBox(db, c.req.valid("json"));
      c.header("Location", `/api/v1/boxes/${box.boxNo}`);
      return c.json(box, 201);
    })
    .openapi(routes.getBoxRoute, async (c) =>
      c.json(await service.getBox(db, c.req.valid("param").boxNo), 200),
    )
    .openapi(routes.updateBoxRoute, async (c) => {
      const { boxNo } = c.req.valid("param");
      return c.json(await service.updateBox(db, boxNo, c.req.valid("json")), 200);
    })
    .openapi(routes.deleteBoxRoute, async (c) => {
      await service.deleteBox(db, c.req.valid("param").boxNo);
      return c.body(null, 204);
    });
}
