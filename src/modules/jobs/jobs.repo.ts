import { and, desc, eq, gt, inArray, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { JobKind, QueueName } from "../../lib/jobs";
import { afterCommit, compileStatement, type Db } from "../../platform/db";
import { type JobRecord, type JobStatus, jobsTable, workersTable } from "./jobs.table";

/** A duration as an interval parameter. */
const interval = (ms: number) => sql`${`${ms} milliseconds`}::interval`;
const leaseEnd = (leaseMs: number) => sql`now() + ${interval(leaseMs)}`;

/**
 * A job row with camelCase names, as the compiled statements below return it (their
 * results bypass Drizzle's mapping; both drivers parse timestamps and jsonb themselves).
 */
const jobColumns = sql.raw(`id, kind, queue, payload, status, progress, step, attempts, result,
  error, run_after as "runAfter", locked_until as "lockedUntil", published_at as "publishedAt",
  created_at as "createdAt", updated_at as "updatedAt", started_at as "startedAt",
  finished_at as "finishedAt"`);

type RawJob = Omit<JobRecord, TimestampField> & Record<TimestampField, Date | string | null>;
type TimestampField =
  | "runAfter"
  | "lockedUntil"
  | "publishedAt"
  | "createdAt"
  | "updatedAt"
  | "startedAt"
  | "finishedAt";

/** Raw statements answer timestamps as PostgreSQL's text ("2026-12-04 19:03:19.006+00"). */
function toDate(value: Date | string | null): Date | null {
  if (value === null || value instanceof Date) return value;
  return new Date(value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00"));
}

function fromRaw(row: RawJob | undefined): JobRecord | undefined {
  if (!row) return undefined;
  return {
    ...row,
    runAfter: toDate(row.runAfter)!,
    lockedUntil: toDate(row.lockedUntil),
    publishedAt: toDate(row.publishedAt),
    createdAt: toDate(row.createdAt)!,
    updatedAt: toDate(row.updatedAt)!,
    startedAt: toDate(row.startedAt),
    finishedAt: toDate(row.finishedAt),
  };
}

// Per-job statements are compiled once: building SQL from the query builder costs more
// CPU than a short statement takes to run. JSON goes in as text, cast in SQL, so neither
// driver encodes it a second time.
const insertJobStatement = compileStatement<"kind" | "queue" | "payload">(
  (p) => sql`insert into jobs (kind, queue, payload)
    values (${p("kind")}, ${p("queue")}, (${p("payload")}::text)::jsonb)
    returning ${jobColumns}`,
);

const enqueued = new EventTarget();

/**
 * Calls `listener` whenever this process committed new jobs, so its runner or relay takes
 * them at once. (A NOTIFY from the enqueuing transaction would also reach other
 * processes, but PostgreSQL serialises the commits of notifying transactions: bench:jobs
 * enqueued 700/s with it, 1,150/s without. The runners poll for the rest.)
 */
export function onJobsEnqueued(listener: () => void): () => void {
  enqueued.addEventListener("enqueued", listener);
  return () => enqueued.removeEventListener("enqueued", listener);
}

const announce = () => enqueued.dispatchEvent(new Event("enqueued"));

/** Writes a queued job in the caller's transaction: it exists exactly when that change commits. */
export async function enqueueJob<P>(db: Db, kind: JobKind<P>, payload: P): Promise<JobRecord> {
  const [row] = await insertJobStatement<RawJob>(db, {
    kind: kind.name,
    queue: kind.queue,
    payload: JSON.stringify(payload ?? null),
  });
  afterCommit(db, announce);
  return fromRaw(row)!;
}

export async function findJob(db: Db, id: string) {
  const [row] = await db.select().from(jobsTable).where(eq(jobsTable.id, id));
  return row;
}

export function listJobs(
  db: Db,
  params: {
    status?: JobStatus;
    kind?: string;
    before?: { createdAt: string; id: string };
    limit: number;
  },
) {
  const conditions: SQL[] = [];
  if (params.status) conditions.push(eq(jobsTable.status, params.status));
  if (params.kind) conditions.push(eq(jobsTable.kind, params.kind));
  if (params.before) {
    conditions.push(
      sql`(${jobsTable.createdAt}, ${jobsTable.id}) < (${params.before.createdAt}::timestamptz, ${params.before.id}::uuid)`,
    );
  }
  return db
    .select()
    .from(jobsTable)
    .where(and(...conditions))
    .orderBy(desc(jobsTable.createdAt), desc(jobsTable.id))
    .limit(params.limit);
}

/** A job that may run now: queued and due, or running under a lease that has run out. */
const claimable = sql`(${jobsTable.status} = 'queued' and ${jobsTable.runAfter} <= now())
  or (${jobsTable.status} = 'running' and ${jobsTable.lockedUntil} < now())`;

const claimSet = (leaseMs: number) => ({
  status: "running" as const,
  attempts: sql`${jobsTable.attempts} + 1`,
  lockedUntil: leaseEnd(leaseMs),
  startedAt: sql`coalesce(${jobsTable.startedAt}, now())`,
  updatedAt: sql`now()`,
});

const claimJobStatement = compileStatement<"id" | "lease">(
  (p) => sql`update jobs set status = 'running', attempts = attempts + 1,
      locked_until = now() + ${p("lease")}::interval, started_at = coalesce(started_at, now()),
      updated_at = now()
    where id = ${p("id")}::uuid
      and (status = 'queued' or (status = 'running' and locked_until < now()))
    returning ${jobColumns}`,
);

/**
 * Claims one job by id (a delivered message); none when it finished or another runner
 * holds it. A delivered message means the job is due (a retry arrives through its delay
 * queue), so `run_after` is not checked.
 */
export async function claimJob(db: Db, id: string, leaseMs: number) {
  const [row] = await claimJobStatement<RawJob>(db, { id, lease: `${leaseMs} milliseconds` });
  return fromRaw(row);
}

/** Claims up to `limit` due jobs of a queue, oldest first (the embedded runner). */
export async function claimDueJobs(db: Db, queue: QueueName, limit: number, leaseMs: number) {
  const due = db
    .select({ id: jobsTable.id })
    .from(jobsTable)
    .where(and(eq(jobsTable.queue, queue), claimable))
    .orderBy(jobsTable.runAfter)
    .limit(limit)
    .for("update", { skipLocked: true });
  return db.update(jobsTable).set(claimSet(leaseMs)).where(inArray(jobsTable.id, due)).returning();
}

/** Only the attempt that claimed a running job may change it. */
const heldBy = (id: string, attempt: number) =>
  and(eq(jobsTable.id, id), eq(jobsTable.status, "running"), eq(jobsTable.attempts, attempt));

/** Progress and lease renewal; false when the job is no longer this attempt's. */
export async function recordProgress(
  db: Db,
  id: string,
  attempt: number,
  leaseMs: number,
  progress?: { fraction: number; step?: string },
) {
  const rows = await db
    .update(jobsTable)
    .set({
      lockedUntil: leaseEnd(leaseMs),
      ...(progress && { progress: progress.fraction, step: progress.step ?? null }),
      updatedAt: sql`now()`,
    })
    .where(heldBy(id, attempt))
    .returning({ id: jobsTable.id });
  return rows.length > 0;
}

const completeJobStatement = compileStatement<"id" | "attempt" | "result">(
  (p) => sql`update jobs set status = 'succeeded', progress = 1,
      result = (${p("result")}::text)::jsonb, error = null, locked_until = null,
      finished_at = now(), updated_at = now()
    where id = ${p("id")}::uuid and status = 'running' and attempts = ${p("attempt")}::int
    returning id`,
);

export async function completeJob(db: Db, id: string, attempt: number, result: unknown) {
  const rows = await completeJobStatement(db, {
    id,
    attempt,
    result: JSON.stringify(result ?? null),
  });
  return rows.length > 0;
}

export async function failJob(db: Db, id: string, attempt: number, error: string) {
  const rows = await db
    .update(jobsTable)
    .set({
      status: "failed",
      error,
      lockedUntil: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(heldBy(id, attempt))
    .returning({ id: jobsTable.id });
  return rows.length > 0;
}

/**
 * Back to queued after a retryable failure, due after `delayMs`. `published` says the
 * retry is already on its way through the broker's delay queue, so the relay leaves it.
 */
export async function scheduleRetry(
  db: Db,
  id: string,
  attempt: number,
  error: string,
  delayMs: number,
  published: boolean,
) {
  const rows = await db
    .update(jobsTable)
    .set({
      status: "queued",
      error,
      lockedUntil: null,
      runAfter: sql`now() + ${interval(delayMs)}`,
      publishedAt: published ? sql`now()` : null,
      updatedAt: sql`now()`,
    })
    .where(heldBy(id, attempt))
    .returning({ id: jobsTable.id });
  return rows.length > 0;
}

/** Due queued rows the relay has not published yet, locked against a second relay. */
export function lockUnpublished(tx: Db, limit: number) {
  return tx
    .select({ id: jobsTable.id, queue: jobsTable.queue, kind: jobsTable.kind })
    .from(jobsTable)
    .where(
      and(
        eq(jobsTable.status, "queued"),
        isNull(jobsTable.publishedAt),
        lte(jobsTable.runAfter, sql`now()`),
      ),
    )
    .orderBy(jobsTable.runAfter)
    .limit(limit)
    .for("update", { skipLocked: true });
}

export async function markPublished(tx: Db, ids: string[]) {
  if (ids.length === 0) return;
  await tx.update(jobsTable).set({ publishedAt: sql`now()` }).where(inArray(jobsTable.id, ids));
}

/**
 * Hands work whose message is gone back to the relay: a running job whose runner died
 * (its lease ran out) and a queued job published long ago that no consumer took (its
 * message was dead-lettered or lost). Claiming is guarded, so a duplicate is harmless.
 */
export async function republishStranded(db: Db, staleAfterMs: number) {
  const rows = await db
    .update(jobsTable)
    .set({ publishedAt: null, updatedAt: sql`now()` })
    .where(
      or(
        and(eq(jobsTable.status, "running"), lt(jobsTable.lockedUntil, sql`now()`)),
        and(
          eq(jobsTable.status, "queued"),
          lt(jobsTable.publishedAt, sql`now() - ${interval(staleAfterMs)}`),
        ),
      ),
    )
    .returning({ id: jobsTable.id });
  return rows.length;
}

/** Deletes finished jobs older than the retention period. */
export async function pruneFinishedJobs(db: Db, retentionMs: number) {
  const rows = await db
    .delete(jobsTable)
    .where(lt(jobsTable.finishedAt, sql`now() - ${interval(retentionMs)}`))
    .returning({ id: jobsTable.id });
  return rows.length;
}

/** Counts of unfinished jobs per queue and status (readiness, metrics). */
export function countOpenJobs(db: Db) {
  return db
    .select({
      queue: jobsTable.queue,
      status: jobsTable.status,
      count: sql<number>`count(*)::int`,
    })
    .from(jobsTable)
    .where(inArray(jobsTable.status, ["queued", "running"]))
    .groupBy(jobsTable.queue, jobsTable.status);
}

/** The outbox backlog per queue: queued rows the relay has not published, and the oldest one's age. */
export function countUnpublishedJobs(db: Db) {
  return db
    .select({
      queue: jobsTable.queue,
      count: sql<number>`count(*)::int`,
      oldestSeconds: sql<number>`extract(epoch from now() - min(${jobsTable.createdAt}))::float8`,
    })
    .from(jobsTable)
    .where(and(eq(jobsTable.status, "queued"), isNull(jobsTable.publishedAt)))
    .groupBy(jobsTable.queue);
}

export async function recordWorkerSeen(
  db: Db,
  worker: { id: string; queues: string[]; running: number },
) {
  await db
    .insert(workersTable)
    .values(worker)
    .onConflictDoUpdate({
      target: workersTable.id,
      set: { lastSeenAt: sql`now()`, running: worker.running, queues: worker.queues },
    });
}

export async function removeWorker(db: Db, id: string) {
  await db.delete(workersTable).where(eq(workersTable.id, id));
}

/** Deletes the rows of workers not seen for `forgetAfterMs` (killed without a goodbye). */
export async function forgetWorkers(db: Db, forgetAfterMs: number) {
  await db
    .delete(workersTable)
    .where(lt(workersTable.lastSeenAt, sql`now() - ${interval(forgetAfterMs)}`));
}

/**
 * Workers seen in the last `seenWithinMs`, newest first. A read only: `/ready` asks on
 * every probe; stale rows are deleted by the maintenance schedule.
 */
export function listWorkers(db: Db, seenWithinMs: number) {
  return db
    .select({
      id: workersTable.id,
      queues: workersTable.queues,
      running: workersTable.running,
      startedAt: workersTable.startedAt,
      lastSeenAt: workersTable.lastSeenAt,
      ageMs: sql<number>`(extract(epoch from now() - ${workersTable.lastSeenAt}) * 1000)::int`,
    })
    .from(workersTable)
    .where(gt(workersTable.lastSeenAt, sql`now() - ${interval(seenWithinMs)}`))
    .orderBy(desc(workersTable.lastSeenAt));
}
