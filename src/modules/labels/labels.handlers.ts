import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import { getLabelRoute } from "./labels.routes";
import { getLabel } from "./labels.service";

export function createLabelsRouter({ db }: Deps) {
  return createRouter().openapi(getLabelRoute, async (c) => {
    const { partId } = c.req.valid("param");
    const query = c.req.valid("query");
    const label = await getLabel(db, partId, query);
    return c.body(label.body, 200, {
      "Content-Type": label.contentType,
      "Content-Disposition": `inline; filename="${partId}.${query.format}"`,
      "Cache-Control": "no-cache",
    });
  });
}
