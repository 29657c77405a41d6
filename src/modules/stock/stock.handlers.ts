import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import * as routes from "./stock.routes";
import * as service from "./stock.service";

export function createStockRouter({ db }: Deps) {
  return createRouter()
    .openapi(routes.addStockRoute, async (c) => {
      const { partId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      return c.json(await service.addStock(db, partId, c.req.valid("json"), key), 200);
    })
    .openapi(routes.removeStockRoute, async (c) => {
      const { partId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      return c.json(await service.removeStock(db, partId, c.req.valid("json"), key), 200);
    })
    .openapi(routes.moveStockRoute, async (c) => {
      const { partId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      return c.json(await service.moveStock(db, partId, c.req.valid("json"), key), 200);
    })
    .openapi(routes.getHistoryRoute, async (c) => {
      const { partId } = c.req.valid("param");
      return c.json(await service.getHistory(db, partId, c.req.valid("query")), 200);
    });
}
