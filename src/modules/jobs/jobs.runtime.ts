import type { Deps } from "../../deps";
import { indexJobKinds, type JobKind, type MaintenanceTask, queueNames } from "../../lib/jobs";
import { type Broker, brokerTopology, openBroker } from "../../platform/amqp";
import { ReadinessFailure } from "../health/health.service";
import { createConsumers, startHeartbeat, startRelay } from "./jobs.broker";
import { jobSettings } from "./jobs.execute";
import { pruneFinishedJobsTask, republishStrandedTask, startMaintenance } from "./jobs.maintenance";
import { watchJobTable } from "./jobs.metrics";
import { queueConcurrency, startEmbeddedRunner } from "./jobs.runner";
import { listWorkers } from "./jobs.service";

export interface JobRuntimeOptions {
  /** `api` runs the embedded runner without AMQP_URL, else only the outbox relay; `worker` consumes. */
  role: "api" | "worker";
  kinds: readonly JobKind[];
  tasks: readonly MaintenanceTask[];
}

export interface JobRuntime {
  readonly mode: "embedded" | "rabbitmq";
  /** Stops taking work and waits up to `graceMs` for jobs in flight. */
  stop(graceMs?: number): Promise<void>;
}

/** A worker not seen for this long counts as absent in `/ready`. */
const WORKER_STALE_MS = 30_000;

/**
 * Starts whatever runs jobs in this process and adds the `queue` and `worker` checks to
 * `/ready`. Refuses to start on a duplicate kind or one without a handler.
 */
export async function startJobRuntime(deps: Deps, options: JobRuntimeOptions): Promise<JobRuntime> {
  const kinds = indexJobKinds(options.kinds);
  const settings = jobSettings(deps.env);
  const concurrency = queueConcurrency(deps.env);
  const tasks = [pruneFinishedJobsTask, ...options.tasks];
  const url = deps.env.AMQP_URL;

  if (!url) {
    if (options.role === "worker") {
      throw new Error("The worker needs AMQP_URL; without it the API process runs the jobs.");
    }
    watchJobTable(deps, "embedded");
    const runner = await startEmbeddedRunner(deps, kinds, settings, concurrency);
    const maintenance = startMaintenance(deps, tasks);
    deps.readiness.queue = async () => {
      if (!runner.isRunning()) throw new ReadinessFailure("the in-process job runner is stopped");
    };
    deps.readiness.worker = deps.readiness.queue;
    return {
      mode: "embedded",
      async stop(graceMs = 10_000) {
        await maintenance.stop();
        await runner.stop(graceMs);
      },
    };
  }

  watchJobTable(deps, "rabbitmq");
  const topology = brokerTopology(deps.env.AMQP_PREFIX);
  let broker: Broker | undefined;
  let relay: ReturnType<typeof startRelay> | undefined;
  const consumers =
    options.role === "worker"
      ? createConsumers(
          deps,
          { topology, publisher: () => broker?.publisher() },
          kinds,
          settings,
          concurrency,
        )
      : undefined;
  broker = await openBroker(url, {
    prefix: deps.env.AMQP_PREFIX,
    queues: queueNames,
    deliveryLimit: deps.env.AMQP_DELIVERY_LIMIT,
    retryDelaysMs: settings.retryDelaysMs,
    logger: deps.logger,
    onConnect: async (model) => {
      relay?.kick();
      await consumers?.attach(model);
    },
  });
  const connected = broker;
  relay = startRelay(deps, connected);
  deps.readiness.queue = async () => {
    if (!connected.isConnected()) throw new ReadinessFailure("not connected to RabbitMQ");
  };
  deps.readiness.worker = async () => {
    const workers = await listWorkers(deps.db);
    const fresh = workers.filter((worker) => worker.secondsSinceSeen * 1000 < WORKER_STALE_MS);
    if (fresh.length === 0) {
      const last = workers[0];
      throw new ReadinessFailure(
        last
          ? `no worker seen for ${Math.round(last.secondsSinceSeen)} s`
          : "no worker has been seen",
      );
    }
  };

  if (!consumers) {
    return {
      mode: "rabbitmq",
      async stop() {
        await relay?.stop();
        await connected.close();
      },
    };
  }
  const current = consumers;
  const heartbeat = startHeartbeat(deps, current);
  const maintenance = startMaintenance(deps, [...tasks, republishStrandedTask]);
  return {
    mode: "rabbitmq",
    async stop(graceMs = 30_000) {
      await current.stop(graceMs);
      await maintenance.stop();
      await heartbeat.stop();
      await relay?.stop();
      await connected.close();
    },
  };
}
