import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import { jobLocation } from "../jobs/jobs.schemas";
import * as routes from "./reorg.routes";
import * as service from "./reorg.service";

export function createReorgRouter({ db }: Deps) {
  return createRouter()
    .openapi(routes.createReorgPlanRoute, async (c) => {
      const accepted = await service.createPlan(db, c.req.valid("json"));
      return c.json(accepted, 202, { Location: jobLocation(accepted.id) });
    })
    .openapi(routes.getReorgPlanRoute, async (c) => {
      return c.json(await service.getPlan(db, c.req.valid("param").planId), 200);
    })
    .openapi(routes.applyReorgPlanRoute, async (c) => {
      const { planId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      return c.json(await service.applyPlan(db, planId, c.req.valid("json"), key), 200);
    })
    .openapi(routes.getReorgDashboardRoute, async (c) => {
      return c.json(await service.getDashboard(db), 200);
    });
}
