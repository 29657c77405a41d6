import type { Deps } from "../../deps";
import { queueNames } from "../../lib/jobs";
import { countOpenJobs, countUnpublishedJobs } from "./jobs.repo";

/**
 * Queue depth and, with RabbitMQ, the outbox backlog, read from the jobs table at each
 * scrape. Every process that runs a job runtime reports them, so they describe the whole
 * deployment, not the process (aggregate with `max`, not `sum`).
 */
export function watchJobTable(deps: Deps, mode: "embedded" | "rabbitmq") {
  deps.metrics.gaugeOnScrape(
    "jobs_open",
    "Unfinished jobs in the table by queue and status (queued, running), all processes together.",
    ["queue", "status"],
    async () => {
      const counts = new Map<string, number>();
      for (const row of await countOpenJobs(deps.db)) {
        counts.set(`${row.queue} ${row.status}`, row.count);
      }
      return queueNames.flatMap((queue) =>
        (["queued", "running"] as const).map((status) => ({
          labels: { queue, status },
          value: counts.get(`${queue} ${status}`) ?? 0,
        })),
      );
    },
  );
  // Embedded, the runner claims rows straight from the table: nothing is ever published.
  if (mode !== "rabbitmq") return;
  const backlog = () => countUnpublishedJobs(deps.db);
  const perQueue = [
    [
      "jobs_outbox_unpublished",
      "Queued jobs the relay has not published to RabbitMQ yet, by queue.",
      "count",
    ],
    [
      "jobs_outbox_oldest_seconds",
      "Age of the oldest job waiting to be published, by queue (0 when none waits).",
      "oldestSeconds",
    ],
  ] as const;
  for (const [name, help, field] of perQueue) {
    deps.metrics.gaugeOnScrape(name, help, ["queue"], async () => {
      const rows = new Map((await backlog()).map((row) => [row.queue, row[field]]));
      return queueNames.map((queue) => ({ labels: { queue }, value: rows.get(queue) ?? 0 }));
    });
  }
}
