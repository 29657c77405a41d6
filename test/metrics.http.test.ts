import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { enqueueJob } from "../src/modules/jobs/jobs.repo";
import { createTestApp, type TestApp } from "./support/app";

import { waitForJob } from "./support/jobs";
import { seriesValue } from "./support/metrics";
import { createTestKinds } from "./support/test-jobs";

async function scrape(t: TestApp) {
  const res = await t.fetch("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return res.text();
}

async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

describe("GET /metrics", () => {
  const kinds = createTestKinds();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ jobs: { kinds: kinds.kinds } });
  }, 30_000);
  afterAll(() => t.close());

  test("counts requests by method, route template and status, with durations", async () => {
    for (let i = 0; i < 3; i++) {
      expect((await t.request("POST", "/api/v1/types", { name: `Metric ${i}` })).status).toBe(201);
    }
    expect((await t.request("GET", "/api/v1/types/424242")).status).toBe(404);
    expect((await t.request("GET", "/api/v1/types/abc")).status).toBe(400);
    const text = await scrape(t);
    const post = 'method="POST",route="/api/v1/types",status="201"';
    expect(seriesValue(text, `http_request_duration_seconds_count{${post}}`)).toBe(3);
    expect(seriesValue(text, `http_request_duration_seconds_sum{${post}}`)).toBeGreaterThan(0);
    expect(seriesValue(text, `http_request_duration_seconds_bucket{le="+Inf",${post}}`)).toBe(3);
    // The template, not the path: one series however many ids are asked for.
    const missing = 'method="GET",route="/api/v1/types/:typeId",status="404"';
    expect(seriesValue(text, `http_request_duration_seconds_count{${missing}}`)).toBe(1);
    const invalid = 'method="GET",route="/api/v1/types/:typeId",status="400"';
    expect(seriesValue(text, `http_request_duration_seconds_count{${invalid}}`)).toBe(1);
    expect(text).not.toContain("/api/v1/types/424242");
    // /metrics itself is counted once its answer went out.
    const again = await scrape(t);
    const self = 'method="GET",route="/metrics",status="200"';
    expect(seriesValue(again, `http_request_duration_seconds_count{${self}}`)).toBe(1);
  });

  test("queue depth while jobs wait and run, then job runs by kind and outcome", async () => {
    // `plans` runs one job at a time: the first holds it at its gate, the second waits.
    const first = await enqueueJob(t.deps.db, kinds.gated, { gate: "metrics-1" });
    const second = await enqueueJob(t.deps.db, kinds.gated, { gate: "metrics-2" });
    await eventually("one job running and one queued", async () => {
      const text = await scrape(t);
      return (
        seriesValue(text, 'jobs_open{queue="plans",status="running"}') === 1 &&
        seriesValue(text, 'jobs_open{queue="plans",status="queued"}') === 1
      );
    });
    expect(seriesValue(await scrape(t), 'jobs_open{queue="media",status="queued"}')).toBe(0);
    kinds.release("metrics-1");
    kinds.release("metrics-2");
    const broken = await enqueueJob(t.deps.db, kinds.broken, { key: "metrics" });
    for (const job of [first, second]) {
      expect(await waitForJob(t, job.id)).toMatchObject({ status: "succeeded" });
    }
    expect(await waitForJob(t, broken.id)).toMatchObject({ status: "failed" });

    const text = await scrape(t);
    expect(
      seriesValue(text, 'jobs_duration_seconds_count{kind="test.gated",outcome="succeeded"}'),
    ).toBe(2);
    expect(
      seriesValue(text, 'jobs_duration_seconds_count{kind="test.broken",outcome="failed"}'),
    ).toBe(1);
    expect(seriesValue(text, 'jobs_open{queue="plans",status="running"}')).toBe(0);
    expect(seriesValue(text, 'jobs_open{queue="plans",status="queued"}')).toBe(0);
    if (t.deps.env.AMQP_URL) {
      expect(seriesValue(text, 'jobs_outbox_unpublished{queue="plans"}')).toBe(0);
    } else {
      // Embedded, nothing is published: no outbox series that would always read 0.
      expect(text).not.toContain("jobs_outbox_unpublished");
    }
  }, 60_000);
});

// An app without a job runtime: nothing else holds a connection while the test counts.
describe("GET /metrics: pool use", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ jobs: false });
  });
  afterAll(() => t.close());

  test("pool use on PostgreSQL: the configured size and what is held now", async () => {
    const text = await scrape(t);
    if (t.deps.database.kind === "pglite") {
      expect(text).not.toContain("db_pool_");
      return;
    }
    expect(seriesValue(text, "db_pool_connections_max")).toBe(20);
    expect(seriesValue(text, "db_pool_transactions_open")).toBe(0);
    expect(seriesValue(text, "db_pool_queries_in_flight")).toBe(0);
    // A transaction held open shows as one.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tx = t.deps.db.transaction(async () => {
      await held;
    });
    await eventually("the transaction to be counted", async () => {
      return seriesValue(await scrape(t), "db_pool_transactions_open") === 1;
    });
    release();
    await tx;
    await eventually("the transaction to be let go", async () => {
      return seriesValue(await scrape(t), "db_pool_transactions_open") === 0;
    });
    // So does a statement outside transactions until its answer arrives.
    // (Drizzle sends a query only once it is awaited or `then` is called.)
    const slow = t.deps.db.execute(sql`select pg_sleep(0.5)`).then(() => {});
    await eventually("the statement to be counted", async () => {
      return seriesValue(await scrape(t), "db_pool_queries_in_flight") === 1;
    });
    await slow;
    await eventually("the statement to be let go", async () => {
      return seriesValue(await scrape(t), "db_pool_queries_in_flight") === 0;
    });
  });
});

describe("GET /metrics with API_TOKEN set", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { API_TOKEN: "metrics-token-0123456789" }, jobs: false });
  });
  afterAll(() => t.close());

  test("stays open like /health, and counts the refused requests", async () => {
    expect((await t.request("GET", "/api/v1/types")).status).toBe(401);
    const text = await scrape(t);
    expect(
      seriesValue(
        text,
        'http_request_duration_seconds_count{method="GET",route="/api/v1/*",status="401"}',
      ),
    ).toBe(1);
  });
});
