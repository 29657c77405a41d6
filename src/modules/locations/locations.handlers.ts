import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import * as routes from "./locations.routes";
import { getLocation } from "./locations.service";
import { suggestLocationsForPart, suggestLocationsForType } from "./suggestions.service";

export function createLocationsRouter({ db }: Deps) {
  return createRouter()
    .openapi(routes.getLocationRoute, async (c) =>
      c.json(await getLocation(db, c.req.valid("param").code), 200),
    )
    .openapi(routes.suggestPartLocationsRoute, async (c) => {
      const { partId } = c.req.valid("param");
      const { count } = c.req.valid("query");
      return c.json(await suggestLocationsForPart(db, partId, count), 200);
    })
    .openapi(routes.suggestLocationsRoute, async (c) => {
      const { typeId, count } = c.req.valid("query");
      return c.json(await suggestLocationsForType(db, typeId, count), 200);
    });
}
