import { closeDeps, createDeps } from "./deps";
import { loadEnv } from "./env";
import type { JobKind } from "./lib/jobs";
import { jobKinds, maintenanceTasks } from "./modules/index";
import { startJobRuntime } from "./modules/jobs/jobs.runtime";

const SHUTDOWN_GRACE_MS = 30_000;

/**
 * The worker process: consumes RabbitMQ (AMQP_URL), runs the job handlers and the
 * maintenance schedule. SIGTERM stops consuming and lets jobs in flight finish (bounded).
 */
export async function runWorker(kinds: readonly JobKind[] = jobKinds) {
  const env = loadEnv();
  const deps = await createDeps(env);
  const jobs = await startJobRuntime(deps, { role: "worker", kinds, tasks: maintenanceTasks });
  deps.logger.info(
    { database: deps.database.kind, storage: deps.storage.kind, kinds: kinds.map((k) => k.name) },
    "worker started",
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, "worker stopping: finishing jobs in flight");
    await jobs.stop(SHUTDOWN_GRACE_MS);
    await closeDeps(deps);
    deps.logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

if (import.meta.main) await runWorker();
