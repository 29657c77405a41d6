import type { Deps } from "../deps";

/** RabbitMQ queues, one per workload: sharp is CPU-bound, AI calls wait on the network. */
export const queueNames = ["media", "ai", "plans"] as const;
export type QueueName = (typeof queueNames)[number];

/** Reports progress 0..1 with an optional step label; stored on the job row, streamed over SSE. */
export type JobProgress = (fraction: number, step?: string) => Promise<void>;

/** What a job kind needs of its zod payload schema (so kinds of any payload share a registry). */
export interface JobPayloadSchema<P> {
  safeParse(
    input: unknown,
  ): { success: true; data: P } | { success: false; error: { issues: { message: string }[] } };
}

/**
 * A kind of background work, declared once in its feature's `<feature>.jobs.ts`. Handlers
 * call a service and must be idempotent: a job may run again after a crash or a
 * redelivery, so outputs go to deterministic keys and finished work is not redone.
 */
export interface JobKind<P = unknown> {
  readonly name: string;
  readonly queue: QueueName;
  /** Checked before `handle`; a payload that fails it fails the job without retries. */
  readonly payload: JobPayloadSchema<P>;
  /** Returns the job's JSON result. */
  handle(deps: Deps, payload: P, progress: JobProgress): Promise<unknown>;
}

export function defineJob<P>(kind: JobKind<P>): JobKind<P> {
  return kind;
}

/** Thrown by a handler when retrying cannot help (corrupt input, a row that is gone). */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** Periodic upkeep run by the worker (in-process when embedded): sweeps, expiry, pruning. */
export interface MaintenanceTask {
  readonly name: string;
  readonly everyMs: number;
  run(deps: Deps): Promise<void>;
}

/** Job kinds by name; refuses duplicates and kinds without a handler or a known queue. */
export function indexJobKinds(kinds: readonly JobKind[]): Map<string, JobKind> {
  const byName = new Map<string, JobKind>();
  for (const kind of kinds) {
    if (byName.has(kind.name)) throw new Error(`Job kind "${kind.name}" is declared twice.`);
    if (typeof kind.handle !== "function")
      throw new Error(`Job kind "${kind.name}" has no handler.`);
    if (!queueNames.includes(kind.queue))
      throw new Error(`Job kind "${kind.name}" names an unknown queue "${kind.queue}".`);
    byName.set(kind.name, kind);
  }
  return byName;
}
