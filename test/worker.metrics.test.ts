// The worker process's own port: /metrics, /health and /ready, against PostgreSQL and
// RabbitMQ (a worker needs both), with a real worker process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "@hono/zod-openapi";
import { defineJob } from "../src/lib/jobs";
import { enqueueJob } from "../src/modules/jobs/jobs.repo";
import { testAmqpUrl } from "./support/amqp";
import { createTestApp, type TestApp } from "./support/app";
import { waitForJob } from "./support/jobs";
import { seriesValue } from "./support/metrics";

const runnable = Boolean(process.env.TEST_DATABASE_URL && testAmqpUrl);

/** The kind test/support/test-worker.ts runs; here only to enqueue it. */
const slow = defineJob({
  name: "test.slow",
  queue: "plans",
  payload: z.object({ id: z.string(), ms: z.number().int() }),
  handle: async () => ({}),
});

/** Reads the worker's log until it says which port it serves, then keeps draining it. */
async function metricsPortOf(stdout: ReadableStream<Uint8Array>, timeoutMs = 30_000) {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    const match = /"metricsPort":(\d+)/.exec(seen);
    if (match) {
      void (async () => {
        while (!(await reader.read()).done);
      })().catch(() => {});
      return Number(match[1]);
    }
  }
  throw new Error(`the worker did not say its metrics port; it wrote:\n${seen}`);
}

describe.skipIf(!runnable)("worker process: /metrics, /health, /ready on its own port", () => {
  let t: TestApp;
  let dir: string;
  let worker: ReturnType<typeof Bun.spawn>;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp({ jobs: { role: "api" } });
    dir = mkdtempSync(join(tmpdir(), "inv-worker-metrics-"));
    worker = Bun.spawn(["bun", "test/support/test-worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: t.databaseUrl,
        AMQP_URL: t.deps.env.AMQP_URL,
        AMQP_PREFIX: t.deps.env.AMQP_PREFIX,
        MARK_FILE: join(dir, "marks.txt"),
        DATA_DIR: dir,
        HOST: "127.0.0.1",
        WORKER_METRICS_PORT: "0",
        LOG_LEVEL: "info",
      },
      stdout: "pipe",
      stderr: "inherit",
    });
    base = `http://127.0.0.1:${await metricsPortOf(worker.stdout as ReadableStream<Uint8Array>)}`;
  }, 60_000);
  afterAll(async () => {
    worker?.kill("SIGKILL");
    await worker?.exited;
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("/health answers at once; /ready once the worker has been seen", async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const deadline = Date.now() + 20_000;
    let ready = await fetch(`${base}/ready`);
    while (ready.status !== 200 && Date.now() < deadline) {
      await Bun.sleep(100);
      ready = await fetch(`${base}/ready`);
    }
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ok",
      checks: { database: "ok", storage: "ok", queue: "ok", worker: "ok" },
    });
  }, 30_000);

  test("/metrics counts the jobs this process ran, with queue depth, outbox and pool", async () => {
    const job = await enqueueJob(t.deps.db, slow, { id: "metrics-1", ms: 10 });
    expect(await waitForJob(t, job.id, { timeoutMs: 30_000 })).toMatchObject({
      status: "succeeded",
    });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    expect(
      seriesValue(text, 'jobs_duration_seconds_count{kind="test.slow",outcome="succeeded"}'),
    ).toBe(1);
    expect(seriesValue(text, 'jobs_open{queue="plans",status="running"}')).toBe(0);
    expect(seriesValue(text, 'jobs_outbox_unpublished{queue="plans"}')).toBe(0);
    expect(seriesValue(text, "db_pool_connections_max")).toBe(10);
    expect(seriesValue(text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    // The API process relayed the job but did not run it.
    const api = await (await t.fetch("/metrics")).text();
    expect(api).not.toContain('kind="test.slow"');
  }, 40_000);

  test("anything else is a problem response", async () => {
    const res = await fetch(`${base}/api/v1/parts`);
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 404, code: "http.not_found" });
    const post = await fetch(`${base}/metrics`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("Allow")).toBe("GET, HEAD");
  });

  test("SIGTERM stops the worker and its port", async () => {
    worker.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  }, 40_000);
});
