import type { Deps } from "../../deps";
import { type JobKind, PermanentJobError } from "../../lib/jobs";
import * as repo from "./jobs.repo";
import type { JobRecord } from "./jobs.table";

export interface JobSettings {
  leaseMs: number;
  maxAttempts: number;
  /** Delay before retry n (1-based) is `retryDelaysMs[n - 1]`, the last one repeating. */
  retryDelaysMs: readonly number[];
}

export function jobSettings(env: Deps["env"]): JobSettings {
  return {
    leaseMs: env.JOB_LEASE_SECONDS * 1000,
    maxAttempts: env.JOB_MAX_ATTEMPTS,
    retryDelaysMs: env.JOB_RETRY_DELAYS_MS,
  };
}

export type JobOutcome =
  | { status: "succeeded" | "failed" }
  /** Retry after `delayMs`; the row is already queued again. */
  | { status: "retry"; delayMs: number }
  /** Another attempt took the job over (this one's lease ran out); nothing was written. */
  | { status: "lost" };

const PROGRESS_WRITE_INTERVAL_MS = 150;

function errorMessage(error: unknown) {
  const message = error instanceof Error ? error.message || error.name : String(error);
  return message.slice(0, 2000);
}

/**
 * Runs a claimed job (see `runJob`) and counts its run in the metrics by kind and outcome;
 * `error` when how it ended could not be recorded (the database went away).
 */
export async function runClaimedJob(...args: Parameters<typeof runJob>): Promise<JobOutcome> {
  const [deps, , job] = args;
  const started = performance.now();
  let outcome = "error";
  try {
    const ended = await runJob(...args);
    outcome = ended.status;
    return ended;
  } finally {
    deps.metrics.observeJob(job.kind, outcome, (performance.now() - started) / 1000);
  }
}

/**
 * Runs a claimed job through its kind's handler and records how it ended. The lease is
 * renewed while the handler runs, so a long job is not taken for a dead one; progress is
 * written at most every 150 ms. `retryPublished` tells the row whether a retry goes out
 * through the broker's delay queue (RabbitMQ) or waits in the table (embedded).
 */
async function runJob(
  deps: Deps,
  kinds: ReadonlyMap<string, JobKind>,
  job: JobRecord,
  settings: JobSettings,
  retryPublished: boolean,
): Promise<JobOutcome> {
  const { db, logger } = deps;
  const attempt = job.attempts;
  const log = logger.child({ jobId: job.id, kind: job.kind, attempt });
  const fail = async (error: string) =>
    (await repo.failJob(db, job.id, attempt, error))
      ? ({ status: "failed" } as const)
      : ({ status: "lost" } as const);

  const kind = kinds.get(job.kind);
  if (!kind) return fail(`No handler for job kind "${job.kind}" in this process.`);
  if (attempt > settings.maxAttempts) {
    return fail(
      `Gave up after ${settings.maxAttempts} attempts: the runner stopped while running it.`,
    );
  }
  const parsed = kind.payload.safeParse(job.payload);
  if (!parsed.success) return fail(`Invalid payload: ${parsed.error.issues[0]?.message}`);

  let lastWrite = 0;
  let lastStep: string | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  const progress = async (fraction: number, step?: string) => {
    const now = performance.now();
    // Fractions are thinned out; a new step is always written, so clients see every step.
    if (now - lastWrite < PROGRESS_WRITE_INTERVAL_MS && fraction < 1 && step === lastStep) return;
    lastWrite = now;
    lastStep = step;
    const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    writing = repo.recordProgress(db, job.id, attempt, settings.leaseMs, {
      fraction: clamped,
      step,
    });
    await writing;
  };
  const renew = setInterval(() => {
    writing = repo.recordProgress(db, job.id, attempt, settings.leaseMs).catch((error) => {
      log.warn({ err: error }, "job lease not renewed");
    });
  }, settings.leaseMs / 3);
  /** The handler is done: no more renewals, and the last progress write has landed. */
  const settleWrites = async () => {
    clearInterval(renew);
    await writing.catch(() => {});
  };

  const started = performance.now();
  try {
    const result = await kind.handle(deps, parsed.data, progress);
    await settleWrites();
    if (!(await repo.completeJob(db, job.id, attempt, result))) return { status: "lost" };
    log.info({ durationMs: Math.round(performance.now() - started) }, "job succeeded");
    return { status: "succeeded" };
  } catch (error) {
    await settleWrites();
    const message = errorMessage(error);
    if (error instanceof PermanentJobError || attempt >= settings.maxAttempts) {
      log.warn({ err: error }, "job failed");
      return fail(message);
    }
    const delays = settings.retryDelaysMs;
    const delayMs = delays[Math.min(attempt, delays.length) - 1] ?? 1000;
    log.info({ err: error, delayMs }, "job will be retried");
    const queued = await repo.scheduleRetry(db, job.id, attempt, message, delayMs, retryPublished);
    return queued ? { status: "retry", delayMs } : { status: "lost" };
  }
}

/** Waits for the jobs in flight to end, or `graceMs`, whichever comes first. */
export async function settleWithin(inFlight: Iterable<Promise<unknown>>, graceMs: number) {
  let timeout: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled([...inFlight]),
    new Promise((resolve) => {
      timeout = setTimeout(resolve, graceMs);
    }),
  ]);
  clearTimeout(timeout);
}
