import { setTimeout as sleep } from "node:timers/promises";
import { z } from "@hono/zod-openapi";
import { notFound } from "../../lib/errors";
import { decodeCursor, encodeCursor, toPage } from "../../lib/pagination";
import type { Db } from "../../platform/db";
import * as repo from "./jobs.repo";
import { type Job, toJob } from "./jobs.schemas";
import type { JobRecord, JobStatus } from "./jobs.table";

/** A worker that has not renewed its row for this long is no longer listed. */
export const WORKER_FORGET_AFTER_MS = 60_000;

const jobNotFound = (id: string) => notFound("jobs.not_found", `Job ${id} does not exist.`);

export async function getJob(db: Db, id: string): Promise<Job> {
  const row = await repo.findJob(db, id);
  if (!row) throw jobNotFound(id);
  return toJob(row);
}

const JobCursor = z.tuple([z.literal("created"), z.iso.datetime(), z.uuid()]);

export async function listJobs(
  db: Db,
  query: { status?: JobStatus; kind?: string; limit: number; cursor?: string },
) {
  const position = decodeCursor(query.cursor, JobCursor);
  const [rows, workers] = await Promise.all([
    repo.listJobs(db, {
      status: query.status,
      kind: query.kind,
      limit: query.limit + 1,
      before: position && { createdAt: position[1], id: position[2] },
    }),
    listWorkers(db),
  ]);
  const page = toPage(rows, query.limit, toJob, (row) =>
    encodeCursor(["created", row.createdAt.toISOString(), row.id]),
  );
  return { ...page, workers };
}

export async function listWorkers(db: Db) {
  const rows = await repo.listWorkers(db, WORKER_FORGET_AFTER_MS);
  return rows.map((row) => ({
    id: row.id,
    queues: row.queues,
    running: row.running,
    startedAt: row.startedAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    secondsSinceSeen: Math.max(0, row.ageMs) / 1000,
  }));
}

export type JobEvent =
  | { kind: "event"; id: string; event: "status" | "progress"; data: string }
  | { kind: "heartbeat" };

const finished = (status: JobStatus) => status === "succeeded" || status === "failed";

/** A version of what a client sees of a job; lease renewals do not change it. */
function versionOf(row: JobRecord) {
  const key = `${row.status}:${row.attempts}:${Math.round(row.progress * 1000)}:${row.step ?? ""}`;
  return Buffer.from(key).toString("base64url");
}

/**
 * The states of a job as events, until it ends or `signal` aborts: the first event is its
 * current state unless the client already saw that version (`lastEventId`). Reads the row
 * every `pollMs`; a job's row is one primary-key lookup.
 */
export async function* followJob(
  db: Db,
  id: string,
  options: { lastEventId?: string; signal: AbortSignal; heartbeatMs: number; pollMs?: number },
): AsyncGenerator<JobEvent> {
  const { signal, heartbeatMs, pollMs = 200 } = options;
  let seen = options.lastEventId;
  let lastStatus: JobStatus | undefined;
  let quietSince = performance.now();
  while (!signal.aborted) {
    const row = await repo.findJob(db, id);
    if (!row) return;
    const version = versionOf(row);
    if (version !== seen) {
      const event = row.status !== lastStatus ? "status" : "progress";
      yield { kind: "event", id: version, event, data: JSON.stringify(toJob(row)) };
      seen = version;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= heartbeatMs) {
      yield { kind: "heartbeat" };
      quietSince = performance.now();
    }
    lastStatus = row.status;
    if (finished(row.status)) return;
    await sleep(pollMs, undefined, { signal }).catch(() => {});
  }
}
