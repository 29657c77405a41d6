import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

export const jobStatuses = ["queued", "running", "succeeded", "failed"] as const;
export type JobStatus = (typeof jobStatuses)[number];

/**
 * Background work and the outbox in one table. A row is inserted in the transaction of the
 * change that needs it, so a job exists exactly when that change committed. With RabbitMQ,
 * the relay publishes queued rows and stamps `published_at`; embedded, the in-process
 * runner claims rows directly. A running row holds a lease (`locked_until`) that its
 * runner renews; an expired lease means the runner died and the job may be claimed again.
 * `attempts` fences a runner that lost its lease: only the attempt that claimed the row
 * may finish it.
 */
export const jobsTable = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    queue: text("queue").notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status", { enum: jobStatuses }).notNull().default("queued"),
    progress: real("progress").notNull().default(0),
    step: text("step"),
    attempts: integer("attempts").notNull().default(0),
    result: jsonb("result"),
    error: text("error"),
    runAfter: timestamp("run_after", { withTimezone: true }).defaultNow().notNull(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).defaultNow().notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    check("jobs_status_known", sql`${t.status} in ('queued', 'running', 'succeeded', 'failed')`),
    check("jobs_progress_fraction", sql`${t.progress} >= 0 and ${t.progress} <= 1`),
    // Work to claim or publish: only unfinished rows are in it, so it stays small.
    index("jobs_due_idx").on(t.runAfter).where(sql`${t.status} in ('queued', 'running')`),
    index("jobs_created_at_idx").on(t.createdAt, t.id),
    index("jobs_kind_created_at_idx").on(t.kind, t.createdAt, t.id),
    index("jobs_status_created_at_idx").on(t.status, t.createdAt, t.id),
    index("jobs_finished_at_idx").on(t.finishedAt).where(sql`${t.finishedAt} is not null`),
  ],
);

/**
 * Processes that run jobs, each renewing its row while alive: `/ready` and `GET /jobs`
 * show when a worker was last seen, so an absent or stuck worker is visible.
 */
export const workersTable = pgTable("job_workers", {
  id: text("id").primaryKey(),
  queues: text("queues").array().notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).defaultNow().notNull(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).defaultNow().notNull(),
  running: integer("running").notNull().default(0),
});

export type JobRecord = typeof jobsTable.$inferSelect;
