import { z } from "@hono/zod-openapi";
import { defineJob, PermanentJobError } from "../../lib/jobs";
import { computePlan } from "./reorg.compute";

/**
 * Computes a pending plan (queue `plans`). Rerunning it is harmless: a plan still pending
 * gets its moves replaced, a computed one answers the same result.
 */
export const reorgPlanJob = defineJob({
  name: "reorg.plan",
  queue: "plans",
  payload: z.object({ planId: z.uuid() }),
  async handle(deps, { planId }, progress) {
    const outcome = await computePlan(deps.db, planId, progress);
    if (outcome.status === "missing") {
      throw new PermanentJobError(`Reorganisation plan ${planId} does not exist.`);
    }
    if (outcome.status === "failed") throw new PermanentJobError(outcome.error);
    return outcome;
  },
});
