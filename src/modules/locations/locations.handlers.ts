import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import { getLocationRoute } from "./locations.routes";
import { getLocation } from "./locations.service";

export function createLocationsRouter({ db }: Deps) {
  return createRouter().openapi(getLocationRoute, async (c) =>
    c.json(await getLocation(db, c.req.valid("param").code), 200),
  );
}
