import type { Deps } from "../../deps";
import type { MaintenanceTask } from "../../lib/jobs";
import { forgetWorkers, pruneFinishedJobs, republishStranded } from "./jobs.repo";
import { WORKER_FORGET_AFTER_MS } from "./jobs.service";

const HOUR_MS = 60 * 60 * 1000;

export const pruneFinishedJobsTask: MaintenanceTask = {
  name: "jobs.prune-finished",
  everyMs: HOUR_MS,
  async run(deps) {
    const removed = await pruneFinishedJobs(deps.db, deps.env.JOB_RETENTION_DAYS * 24 * HOUR_MS);
    if (removed > 0) deps.logger.info({ removed }, "finished jobs pruned");
    await forgetWorkers(deps.db, WORKER_FORGET_AFTER_MS);
  },
};

/** A message is taken within seconds; one published this long ago without a start was lost. */
const STRANDED_AFTER_MS = 10 * 60 * 1000;

/** With RabbitMQ only: jobs whose runner died or whose message is gone are published again. */
export const republishStrandedTask: MaintenanceTask = {
  name: "jobs.republish-stranded",
  everyMs: 15_000,
  async run(deps) {
    const count = await republishStranded(deps.db, STRANDED_AFTER_MS);
    if (count > 0) deps.logger.warn({ count }, "stranded jobs handed back to the relay");
  },
};

/**
 * Runs each task every `everyMs` (first run after one period), never two runs of one task
 * at once; a failing run is logged and tried again next period.
 */
export function startMaintenance(deps: Deps, tasks: readonly MaintenanceTask[]) {
  const running = new Set<Promise<void>>();
  const timers = tasks.map((task) => {
    let busy = false;
    return setInterval(() => {
      if (busy) return;
      busy = true;
      const run = task
        .run(deps)
        .catch((error) => deps.logger.warn({ err: error, task: task.name }, "maintenance failed"))
        .finally(() => {
          busy = false;
          running.delete(run);
        });
      running.add(run);
    }, task.everyMs);
  });
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
