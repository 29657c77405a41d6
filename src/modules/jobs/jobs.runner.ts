import { hostname } from "node:os";
import type { Deps } from "../../deps";
import { type JobKind, type QueueName, queueNames } from "../../lib/jobs";
import { type JobSettings, runClaimedJob, settleWithin } from "./jobs.execute";
import * as repo from "./jobs.repo";
import type { JobRecord } from "./jobs.table";

export type QueueConcurrency = Record<QueueName, number>;

export function queueConcurrency(env: Deps["env"]): QueueConcurrency {
  return {
    media: env.JOB_CONCURRENCY_MEDIA,
    ai: env.JOB_CONCURRENCY_AI,
    plans: env.JOB_CONCURRENCY_PLANS,
  };
}

export interface EmbeddedRunner {
  readonly workerId: string;
  isRunning(): boolean;
  /** Stops claiming, waits up to `graceMs` for jobs in flight. */
  stop(graceMs: number): Promise<void>;
}

export const HEARTBEAT_INTERVAL_MS = 5000;
const POLL_INTERVAL_MS = 500;

/**
 * The embedded default: runs the very same handlers in this process, off the jobs table.
 * A job committed in this process wakes it at once, a retry through a timer, and it polls as well, which
 * also picks up jobs left queued, or running under an expired lease, by a previous run.
 */
export async function startEmbeddedRunner(
  deps: Deps,
  kinds: ReadonlyMap<string, JobKind>,
  settings: JobSettings,
  concurrency: QueueConcurrency,
): Promise<EmbeddedRunner> {
  const { db, logger } = deps;
  const workerId = `embedded:${hostname()}:${process.pid}`;
  const active: Record<QueueName, number> = { media: 0, ai: 0, plans: 0 };
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;
  let pumping = false;
  let pumpAgain = false;

  const launch = (queue: QueueName, job: JobRecord) => {
    active[queue]++;
    const run = runClaimedJob(deps, kinds, job, settings, false)
      .then((outcome) => {
        if (outcome.status === "retry") later(outcome.delayMs);
      })
      .catch((error) => logger.error({ err: error, jobId: job.id }, "job runner error"))
      .finally(() => {
        active[queue]--;
        inFlight.delete(run);
        void pump();
      });
    inFlight.add(run);
  };

  async function pump(): Promise<void> {
    if (stopped) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        for (const queue of queueNames) {
          const free = concurrency[queue] - active[queue];
          if (free <= 0 || stopped) continue;
          const claimed = await repo.claimDueJobs(db, queue, free, settings.leaseMs);
          for (const job of claimed) launch(queue, job);
        }
      } while (pumpAgain && !stopped);
    } catch (error) {
      if (!stopped) logger.warn({ err: error }, "could not claim jobs; trying again shortly");
    } finally {
      pumping = false;
    }
  }

  function later(delayMs: number) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void pump();
    }, delayMs + 20);
    timers.add(timer);
  }

  const heartbeat = async () => {
    const running = active.media + active.ai + active.plans;
    await repo
      .recordWorkerSeen(db, { id: workerId, queues: [...queueNames], running })
      .catch((error) => logger.warn({ err: error }, "worker heartbeat not recorded"));
  };
  await heartbeat();
  const unlisten = repo.onJobsEnqueued(() => void pump());
  const poll = setInterval(() => void pump(), POLL_INTERVAL_MS);
  const beat = setInterval(() => void heartbeat(), HEARTBEAT_INTERVAL_MS);
  void pump();

  return {
    workerId,
    isRunning: () => !stopped,
    async stop(graceMs) {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      clearInterval(beat);
      for (const timer of timers) clearTimeout(timer);
      unlisten();
      await settleWithin(inFlight, graceMs);
      await repo.removeWorker(db, workerId).catch(() => {});
    },
  };
}
