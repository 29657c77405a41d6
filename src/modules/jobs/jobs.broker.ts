import { hostname } from "node:os";
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from "amqplib";
import type { Deps } from "../../deps";
import { type JobKind, type QueueName, queueNames } from "../../lib/jobs";
import type { Broker, BrokerTopology } from "../../platform/amqp";
import { withTx } from "../../platform/db";
import { type JobSettings, runClaimedJob, settleWithin } from "./jobs.execute";
import * as repo from "./jobs.repo";
import { HEARTBEAT_INTERVAL_MS, type QueueConcurrency } from "./jobs.runner";

const RELAY_BATCH = 200;
/** Jobs committed by another process (or outside `withTx`) wait at most this long. */
const RELAY_POLL_MS = 250;

/** What a job message carries: the row holds the rest. */
interface JobMessage {
  jobId: string;
}

function parseMessage(content: Buffer): JobMessage | undefined {
  try {
    const value: unknown = JSON.parse(content.toString("utf8"));
    if (value && typeof value === "object" && "jobId" in value && typeof value.jobId === "string")
      return { jobId: value.jobId };
  } catch {}
  return undefined;
}

const messageOf = (jobId: string) => Buffer.from(JSON.stringify({ jobId } satisfies JobMessage));
const persistentJson = (jobId: string) =>
  ({ persistent: true, contentType: "application/json", messageId: jobId }) as const;

/**
 * The outbox relay: publishes queued rows on the confirm channel and stamps them
 * published in the transaction that locked them, after the broker confirmed. While the
 * broker is away, publishing fails, the transaction rolls back and the rows wait. Two
 * relays (API and worker) skip each other's locked rows.
 */
export function startRelay(deps: Deps, broker: Broker) {
  const { db, logger } = deps;
  const { exchange } = broker.topology;
  let stopped = false;
  let pumping: Promise<void> | undefined;
  let again = false;

  const relayBatch = () =>
    withTx(db, async (tx) => {
      const channel = broker.publisher();
      if (!channel) return 0;
      const rows = await repo.lockUnpublished(tx, RELAY_BATCH);
      if (rows.length === 0) return 0;
      for (const row of rows) {
        channel.publish(exchange, row.queue, messageOf(row.id), {
          ...persistentJson(row.id),
          type: row.kind,
        });
      }
      await channel.waitForConfirms();
      await repo.markPublished(
        tx,
        rows.map((row) => row.id),
      );
      return rows.length;
    });

  const pump = () => {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = (async () => {
      try {
        do {
          again = false;
          while (!stopped && (await relayBatch()) === RELAY_BATCH) {}
        } while (again && !stopped);
      } catch (error) {
        if (!stopped) logger.warn({ err: error }, "outbox relay: jobs wait for the broker");
      } finally {
        pumping = undefined;
      }
    })();
  };

  const poll = setInterval(pump, RELAY_POLL_MS);
  const unlisten = repo.onJobsEnqueued(pump);
  pump();
  return {
    kick: pump,
    async stop() {
      stopped = true;
      clearInterval(poll);
      unlisten();
      await pumping;
    },
  };
}

export interface Consumers {
  readonly workerId: string;
  /** Starts consuming on a fresh connection; the broker's `onConnect`. */
  attach(model: ChannelModel): Promise<void>;
  running(): number;
  /** Stops taking messages and waits up to `graceMs` for the jobs in flight. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Consumers of the work queues. A message is acknowledged only after the job's row says
 * how it ended. A redelivered message of a finished job is acknowledged without running
 * it again; one of a job still running elsewhere goes round the shortest delay queue
 * until that runner finishes or its lease runs out. A retry goes out through the delay
 * queue for its attempt. An unreadable message is rejected straight to the dead queue;
 * when the database is unreachable the message is returned, and the delivery limit
 * dead-letters it if that goes on (the row stays queued and is published again later).
 */
export function createConsumers(
  deps: Deps,
  broker: { topology: BrokerTopology; publisher: () => ConfirmChannel | undefined },
  kinds: ReadonlyMap<string, JobKind>,
  settings: JobSettings,
  concurrency: QueueConcurrency,
): Consumers {
  const { db, logger } = deps;
  const t = broker.topology;
  const workerId = `worker:${hostname()}:${process.pid}`;
  const inFlight = new Set<Promise<void>>();
  let channels: { channel: Channel; tag: string }[] = [];
  let stopping = false;
  const shortestDelay = Math.min(...settings.retryDelaysMs);

  const publishRetry = async (queue: QueueName, jobId: string, delayMs: number) => {
    const channel = broker.publisher();
    if (!channel) throw new Error("no publish channel");
    channel.sendToQueue(t.retryQueue(queue, delayMs), messageOf(jobId), persistentJson(jobId));
    await channel.waitForConfirms();
  };

  async function handle(channel: Channel, queue: QueueName, message: ConsumeMessage) {
    const parsed = parseMessage(message.content);
    if (!parsed) {
      logger.warn({ queue }, "unreadable job message dead-lettered");
      channel.nack(message, false, false);
      return;
    }
    const { jobId } = parsed;
    try {
      const job = await repo.claimJob(db, jobId, settings.leaseMs);
      if (!job) {
        const current = await repo.findJob(db, jobId);
        if (current?.status === "running") await publishRetry(queue, jobId, shortestDelay);
        channel.ack(message);
        return;
      }
      const outcome = await runClaimedJob(deps, kinds, job, settings, true);
      if (outcome.status === "retry") await publishRetry(queue, jobId, outcome.delayMs);
      channel.ack(message);
    } catch (error) {
      logger.warn({ err: error, jobId }, "job message returned to its queue");
      try {
        channel.nack(message, false, true);
      } catch {}
    }
  }

  async function attach(model: ChannelModel) {
    if (stopping) return;
    const attached: typeof channels = [];
    for (const queue of queueNames) {
      if (![...kinds.values()].some((kind) => kind.queue === queue)) continue;
      const channel = await model.createChannel();
      channel.on("error", (error: Error) => logger.warn({ err: error, queue }, "consumer error"));
      await channel.prefetch(concurrency[queue]);
      const { consumerTag } = await channel.consume(t.workQueue(queue), (message) => {
        if (!message) return;
        const run = handle(channel, queue, message).finally(() => inFlight.delete(run));
        inFlight.add(run);
      });
      attached.push({ channel, tag: consumerTag });
    }
    channels = attached;
  }

  return {
    workerId,
    attach,
    running: () => inFlight.size,
    async stop(graceMs) {
      stopping = true;
      await Promise.allSettled(channels.map(({ channel, tag }) => channel.cancel(tag)));
      await settleWithin(inFlight, graceMs);
    },
  };
}

/** Renews the worker's row every few seconds while it runs. */
export function startHeartbeat(deps: Deps, consumers: Consumers) {
  const beat = () =>
    repo
      .recordWorkerSeen(deps.db, {
        id: consumers.workerId,
        queues: [...queueNames],
        running: consumers.running(),
      })
      .catch((error) => deps.logger.warn({ err: error }, "worker heartbeat not recorded"));
  void beat();
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  return {
    async stop() {
      clearInterval(timer);
      await repo.removeWorker(deps.db, consumers.workerId).catch(() => {});
    },
  };
}
