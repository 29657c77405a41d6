import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import { receiveItem } from "./receive.service";
import * as routes from "./shopping.routes";
import * as service from "./shopping.service";

export function createShoppingRouter(deps: Deps) {
  const { db } = deps;
  return createRouter()
    .openapi(routes.listShoppingItemsRoute, async (c) =>
      c.json(await service.listItems(db, c.req.valid("query")), 200),
    )
    .openapi(routes.createShoppingItemRoute, async (c) => {
      const item = await service.createItem(db, c.req.valid("json"));
      c.header("Location", `/api/v1/shopping-list/${item.id}`);
      return c.json(item, 201);
    })
    .openapi(routes.getShoppingItemRoute, async (c) =>
      c.json(await service.getItem(db, c.req.valid("param").itemId), 200),
    )
    .openapi(routes.updateShoppingItemRoute, async (c) => {
      const { itemId } = c.req.valid("param");
      return c.json(await service.updateItem(db, itemId, c.req.valid("json")), 200);
    })
    .openapi(routes.deleteShoppingItemRoute, async (c) => {
      await service.deleteItem(db, c.req.valid("param").itemId);
      return c.body(null, 204);
    })
    .openapi(routes.receiveShoppingItemRoute, async (c) => {
      const { itemId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      return c.json(await receiveItem(deps, itemId, c.req.valid("json"), key), 200);
    });
}
