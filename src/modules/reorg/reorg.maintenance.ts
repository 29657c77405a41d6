import type { MaintenanceTask } from "../../lib/jobs";
import { expireAndDeletePlans } from "./reorg.service";

/** Marks unapplied plans past expiry `expired` and deletes those expired a week ago. */
export const deleteExpiredPlans: MaintenanceTask = {
  name: "reorg.delete-expired-plans",
  everyMs: 10 * 60 * 1000,
  async run(deps) {
    const { expired, deleted } = await expireAndDeletePlans(deps.db);
    if (expired + deleted > 0)
      deps.logger.info({ expired, deleted }, "reorganisation plans expired");
  },
};
