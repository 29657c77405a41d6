import { createApp } from "./app";
import { closeDeps, createDeps } from "./deps";
import { loadEnv } from "./env";
import { jobKinds, maintenanceTasks } from "./modules/index";
import { startJobRuntime } from "./modules/jobs/jobs.runtime";
import { serveHttp } from "./platform/http-server";
import { collectProcessMetrics } from "./platform/metrics";

const env = loadEnv();
const deps = await createDeps(env);
collectProcessMetrics(deps.metrics);
// Embedded (no AMQP_URL): this process runs the jobs. With RabbitMQ it only relays them.
const jobs = await startJobRuntime(deps, { role: "api", kinds: jobKinds, tasks: maintenanceTasks });
const app = createApp(deps);

const server = await serveHttp(app.fetch, {
  port: env.PORT,
  hostname: env.HOST,
  // Large uploads and downloads over slow links stay open between chunks for a while.
  idleTimeoutSeconds: 120,
  onError: (error) => deps.logger.warn({ err: error }, "response not completed"),
});
deps.logger.info(
  { port: server.port, database: deps.database.kind, storage: deps.storage.kind, jobs: jobs.mode },
  `listening on http://localhost:${server.port}`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  deps.logger.info({ signal }, "shutting down: finishing requests in flight");
  await server.stop(true);
  await jobs.stop();
  await closeDeps(deps);
  deps.logger.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
