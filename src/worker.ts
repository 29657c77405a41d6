import { closeDeps, createDeps } from "./deps";
import { loadEnv } from "./env";
import type { JobKind } from "./lib/jobs";
import { createWorkerProbes } from "./modules/health/health.worker";
import { jobKinds, maintenanceTasks } from "./modules/index";
import { startJobRuntime } from "./modules/jobs/jobs.runtime";
import { serveHttp } from "./platform/http-server";
import { collectProcessMetrics } from "./platform/metrics";

const SHUTDOWN_GRACE_MS = 30_000;

/**
 * The worker process: consumes RabbitMQ (AMQP_URL), runs the job handlers and the
 * maintenance schedule, and answers /metrics, /health and /ready on WORKER_METRICS_PORT.
 * SIGTERM stops consuming and lets jobs in flight finish (bounded).
 */
export async function runWorker(kinds: readonly JobKind[] = jobKinds) {
  const env = loadEnv();
  const deps = await createDeps(env);
  collectProcessMetrics(deps.metrics);
  const jobs = await startJobRuntime(deps, { role: "worker", kinds, tasks: maintenanceTasks });
  const probes = await serveHttp(createWorkerProbes(deps), {
    port: env.WORKER_METRICS_PORT,
    hostname: env.HOST,
    idleTimeoutSeconds: 30,
  });
  deps.logger.info(
    {
      database: deps.database.kind,
      storage: deps.storage.kind,
      kinds: kinds.map((k) => k.name),
      metricsPort: probes.port,
    },
    "worker started",
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, "worker stopping: finishing jobs in flight");
    await jobs.stop(SHUTDOWN_GRACE_MS);
    await probes.stop(false);
    await closeDeps(deps);
    deps.logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

if (import.meta.main) await runWorker();
