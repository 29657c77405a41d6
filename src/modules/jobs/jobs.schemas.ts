import { z } from "@hono/zod-openapi";
import { PageQuery } from "../../lib/pagination";
import { text, timestamp } from "../../lib/schemas";
import { type JobRecord, jobStatuses } from "./jobs.table";

const nullableTimestamp = () =>
  z.string().nullable().openapi({ format: "date-time", example: "2026-11-22T10:15:00.000Z" });

export const JobSchema = z
  .object({
    id: z.string().openapi({ format: "uuid", example: "5d2a7e0c-1f3b-4c9a-8e6d-2b7f9a1c0e34" }),
    kind: z.string().openapi({
      description: "What the job does, e.g. `documents.thumbnail` or `reorg.plan`.",
      example: "documents.thumbnail",
    }),
    status: z.enum(jobStatuses).openapi({
      description:
        "`queued` (waiting, also between retries), `running`, then `succeeded` or `failed` for good.",
    }),
    progress: z.number().min(0).max(1).openapi({ description: "0..1.", example: 0.5 }),
    step: z.string().nullable().openapi({
      description: "What the job is doing now, when its handler says.",
      example: "md thumbnail",
    }),
    attempts: z.number().int().openapi({
      description: "Runs started so far, including the current one.",
      example: 1,
    }),
    result: z.unknown().openapi({
      description: "The job's answer once it succeeded (its shape depends on `kind`); null before.",
    }),
    error: z.string().nullable().openapi({
      description: "Why the last attempt failed; kept while a retry is queued.",
    }),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    startedAt: nullableTimestamp(),
    finishedAt: nullableTimestamp(),
  })
  .openapi("Job", { description: "Background work handed to the worker." });

export type Job = z.infer<typeof JobSchema>;

export const JobIdParams = z.object({
  jobId: z
    .uuid({ error: "Expected a job id (a UUID)." })
    .toLowerCase()
    .openapi({
      param: { name: "jobId", in: "path" },
      example: "5d2a7e0c-1f3b-4c9a-8e6d-2b7f9a1c0e34",
    }),
});

export const JobListQuery = z.object({
  status: z
    .enum(jobStatuses)
    .optional()
    .openapi({ param: { name: "status", in: "query" }, description: "Only jobs in this status." }),
  kind: text(100)
    .optional()
    .openapi({ param: { name: "kind", in: "query" }, example: "documents.thumbnail" }),
  ...PageQuery,
});

export const WorkerSchema = z
  .object({
    id: z.string().openapi({ example: "worker:bench-host:4242" }),
    queues: z.array(z.string()).openapi({ example: ["media", "ai", "plans"] }),
    running: z.number().int().openapi({ description: "Jobs it was running when last seen." }),
    startedAt: timestamp(),
    lastSeenAt: timestamp(),
    secondsSinceSeen: z.number().openapi({
      description: "A worker renews this every 5 s; far more means it is stuck or gone.",
      example: 2.1,
    }),
  })
  .openapi("Worker");

export const JobPageSchema = z
  .object({
    items: z.array(JobSchema),
    nextCursor: z.string().nullable().openapi({
      description: "Pass as `cursor` to get the next page; null on the last page.",
    }),
    workers: z.array(WorkerSchema).openapi({
      description:
        "Processes running jobs that were seen in the last minute: empty means no worker is running.",
    }),
  })
  .openapi("JobPage");

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function toJob(row: JobRecord): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    progress: row.progress,
    step: row.step,
    attempts: row.attempts,
    result: row.result ?? null,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

export const jobLocation = (id: string) => `/api/v1/jobs/${id}`;
