import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { enqueueJob } from "../src/modules/jobs/jobs.repo";
import { startJobRuntime } from "../src/modules/jobs/jobs.runtime";
import { JobPageSchema, JobSchema } from "../src/modules/jobs/jobs.schemas";
import { jobsTable } from "../src/modules/jobs/jobs.table";
import { withTx } from "../src/platform/db";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { waitForJob } from "./support/jobs";
import { createTestKinds } from "./support/test-jobs";

const testKinds = createTestKinds();
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: { JOB_MAX_ATTEMPTS: "3", JOB_RETRY_DELAYS_MS: "100,200" },
    jobs: { kinds: testKinds.kinds },
  });
}, 30_000);
afterAll(() => t.close());

describe("jobs", () => {
  test("a job enqueued in a transaction runs once and its result is served", async () => {
    const job = await withTx(t.deps.db, (tx) => enqueueJob(tx, testKinds.echo, { value: "one" }));
    expect(job.status).toBe("queued");
    expect(job.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(job.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(job.payload).toEqual({ value: "one" });
    const done = await waitForJob(t, job.id);
    expect(JobSchema.parse(done)).toMatchObject({
      id: job.id,
      kind: "test.echo",
      status: "succeeded",
      progress: 1,
      attempts: 1,
      result: { echoed: "one" },
      error: null,
    });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    await Bun.sleep(300);
    expect(testKinds.runsOf("one")).toBe(1);
  });

  test("a job of a rolled-back transaction never exists", async () => {
    let id = "";
    await withTx(t.deps.db, async (tx) => {
      id = (await enqueueJob(tx, testKinds.echo, { value: "rolled-back" })).id;
      throw new Error("roll back");
    }).catch(() => {});
    expect((await t.request("GET", `/api/v1/jobs/${id}`)).status).toBe(404);
    await Bun.sleep(300);
    expect(testKinds.runsOf("rolled-back")).toBe(0);
  });

  test("a failing job is retried with delays, keeping its last error, then succeeds", async () => {
    const job = await enqueueJob(t.deps.db, testKinds.flaky, { key: "flaky-2", failures: 2 });
    const done = await waitForJob(t, job.id);
    expect(done).toMatchObject({
      status: "succeeded",
      attempts: 3,
      result: { run: 3 },
      error: null,
    });
    const took = Date.parse(done.finishedAt!) - Date.parse(done.createdAt);
    expect(took).toBeGreaterThanOrEqual(300);
  });

  test("a job that keeps failing stops at JOB_MAX_ATTEMPTS with the error recorded", async () => {
    const job = await enqueueJob(t.deps.db, testKinds.flaky, { key: "flaky-9", failures: 9 });
    const done = await waitForJob(t, job.id);
    expect(done).toMatchObject({ status: "failed", attempts: 3, error: "flaky failure 3" });
    await Bun.sleep(400);
    expect(testKinds.runsOf("flaky-9")).toBe(3);
  });

  test("a permanent error fails at once; an invalid payload never reaches the handler", async () => {
    const broken = await enqueueJob(t.deps.db, testKinds.broken, { key: "broken" });
    expect(await waitForJob(t, broken.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: "the input cannot be used",
    });
    const invalid = await enqueueJob(t.deps.db, testKinds.broken, { key: 42 } as never);
    const failed = await waitForJob(t, invalid.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toStartWith("Invalid payload");
    expect(testKinds.runsOf("broken")).toBe(1);
  });

  test("list filters by status and kind, pages newest first, and shows the worker", async () => {
    const ids: string[] = [];
    for (const value of ["l1", "l2", "l3"]) {
      ids.push((await enqueueJob(t.deps.db, testKinds.echo, { value })).id);
    }
    for (const id of ids) await waitForJob(t, id);
    const first = await t.request("GET", "/api/v1/jobs?kind=test.echo&status=succeeded&limit=2");
    expect(first.status).toBe(200);
    const page = JobPageSchema.parse(first.body);
    expect(page.items).toHaveLength(2);
    expect(page.items.every((job) => job.kind === "test.echo" && job.status === "succeeded")).toBe(
      true,
    );
    expect(page.items[0]!.createdAt >= page.items[1]!.createdAt).toBe(true);
    expect(page.nextCursor).not.toBeNull();
    const rest = JobPageSchema.parse(
      (await t.request("GET", `/api/v1/jobs?kind=test.echo&limit=200&cursor=${page.nextCursor}`))
        .body,
    );
    const seen = [...page.items, ...rest.items].map((job) => job.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    expect(page.workers.length).toBeGreaterThan(0);
    expect(page.workers[0]!.secondsSinceSeen).toBeLessThan(30);

    const bad = await t.request<ProblemBody>("GET", "/api/v1/jobs?status=done");
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("status");
    expect((await t.request("GET", "/api/v1/jobs?cursor=nonsense")).status).toBe(400);
  });

  test("unknown and malformed job ids", async () => {
    const missing = await t.request<ProblemBody>(
      "GET",
      "/api/v1/jobs/5d2a7e0c-1f3b-4c9a-8e6d-2b7f9a1c0e34",
    );
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("jobs.not_found");
    const bad = await t.request<ProblemBody>("GET", "/api/v1/jobs/42");
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("jobId");
    expect((await t.request("GET", "/api/v1/jobs/42/events")).status).toBe(400);
  });

  test("/ready reports the queue and the worker", async () => {
    const res = await t.request<{ checks: Record<string, string> }>("GET", "/ready");
    expect(res.status).toBe(200);
    expect(res.body.checks).toMatchObject({ queue: "ok", worker: "ok" });
  });
});

describe("job runtime", () => {
  test("refuses two kinds of one name", async () => {
    const app = await createTestApp({ jobs: false });
    try {
      await expect(
        startJobRuntime(app.deps, {
          role: "api",
          kinds: [testKinds.echo, { ...testKinds.echo }],
          tasks: [],
        }),
      ).rejects.toThrow('Job kind "test.echo" is declared twice.');
    } finally {
      await app.close();
    }
  });

  test("after a restart, queued jobs and jobs whose runner died are picked up", async () => {
    const app = await createTestApp({ jobs: false });
    try {
      const waiting = await enqueueJob(app.deps.db, testKinds.echo, { value: "after-restart" });
      const interrupted = await enqueueJob(app.deps.db, testKinds.echo, { value: "interrupted" });
      // As a runner that was killed mid-job leaves it: running, its lease run out.
      await app.deps.db
        .update(jobsTable)
        .set({ status: "running", attempts: 1, lockedUntil: sql`now() - interval '1 second'` })
        .where(eq(jobsTable.id, interrupted.id));
      const runtime = await startJobRuntime(app.deps, {
        role: app.deps.env.AMQP_URL ? "worker" : "api",
        kinds: testKinds.kinds,
        tasks: [],
      });
      try {
        expect(await waitForJob(app, waiting.id)).toMatchObject({ status: "succeeded" });
        expect(await waitForJob(app, interrupted.id)).toMatchObject({
          status: "succeeded",
          attempts: 2,
        });
      } finally {
        await runtime.stop(1000);
      }
    } finally {
      await app.close();
    }
  });
});
