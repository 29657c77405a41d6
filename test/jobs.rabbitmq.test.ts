// RabbitMQ faults, against the machine's broker (TEST_AMQP_URL) behind a TCP proxy the test
// controls, and worker processes the test kills. The shared broker and database are never
// stopped: the proxy takes the broker away, pg_terminate_backend the database connections.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "@hono/zod-openapi";
import { connect } from "amqplib";
import { and, eq, isNull } from "drizzle-orm";
import { defineJob } from "../src/lib/jobs";
import { enqueueJob } from "../src/modules/jobs/jobs.repo";
import { jobsTable } from "../src/modules/jobs/jobs.table";
import { brokerTopology, openBroker } from "../src/platform/amqp";
import { createLogger } from "../src/platform/logger";
import { deleteTestTopology, testAmqpUrl } from "./support/amqp";
import { createTestApp, type TestApp } from "./support/app";
import { waitForJob } from "./support/jobs";
import { startTcpProxy } from "./support/tcp-proxy";
import { createTestKinds } from "./support/test-jobs";

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

const readiness = async (t: TestApp) =>
  (await t.request<{ checks: Record<string, string> }>("GET", "/ready")).body.checks;

describe.skipIf(!testAmqpUrl)("RabbitMQ", () => {
  const kinds = createTestKinds();

  test("broker unreachable: requests succeed, jobs wait in the outbox, all run once it returns", async () => {
    const target = new URL(testAmqpUrl!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5672) });
    const viaProxy = new URL(testAmqpUrl!);
    viaProxy.port = String(proxy.port);
    viaProxy.searchParams.set("heartbeat", "2");
    const t = await createTestApp({
      env: { AMQP_URL: viaProxy.toString() },
      jobs: { kinds: kinds.kinds },
    });
    try {
      const before = await enqueueJob(t.deps.db, kinds.echo, { value: "before-outage" });
      expect(await waitForJob(t, before.id)).toMatchObject({ status: "succeeded" });

      await proxy.cut();
      await eventually("queue check to fail", async () => (await readiness(t)).queue !== "ok");
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const created = await t.request<{ id: number }>("POST", "/api/v1/types", {
          name: `Outage ${i}`,
        });
        expect(created.status).toBe(201);
        ids.push((await enqueueJob(t.deps.db, kinds.echo, { value: `outage-${i}` })).id);
      }
      await Bun.sleep(1500);
      const waiting = await t.deps.db
        .select({ id: jobsTable.id })
        .from(jobsTable)
        .where(and(eq(jobsTable.status, "queued"), isNull(jobsTable.publishedAt)));
      expect(waiting.map((row) => row.id).sort()).toEqual([...ids].sort());

      await proxy.restore();
      for (const id of ids) {
        expect(await waitForJob(t, id, { timeoutMs: 30_000 })).toMatchObject({
          status: "succeeded",
          attempts: 1,
        });
      }
      for (let i = 0; i < 5; i++) expect(kinds.runsOf(`outage-${i}`)).toBe(1);
      expect((await readiness(t)).queue).toBe("ok");
    } finally {
      await t.close();
      await proxy.close();
    }
  }, 90_000);

  test.skipIf(!onPostgres)(
    "database connections killed under the worker: it reconnects and jobs complete",
    async () => {
      const t = await createTestApp({ jobs: { kinds: kinds.kinds } });
      try {
        const first = await enqueueJob(t.deps.db, kinds.echo, { value: "pg-before" });
        await waitForJob(t, first.id);
        const name = new URL(t.databaseUrl!).pathname.slice(1);
        const admin = new URL(process.env.TEST_DATABASE_URL!);
        const { default: postgres } = await import("postgres");
        const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
        const killed = await sql`
          select pg_terminate_backend(pid) as killed from pg_stat_activity
          where datname = ${name} and pid <> pg_backend_pid()`;
        await sql.end();
        expect(killed.length).toBeGreaterThan(0);
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const job = await eventually("an enqueue after the kill", () =>
            enqueueJob(t.deps.db, kinds.echo, { value: `pg-after-${i}` }).catch(() => undefined),
          );
          ids.push(job.id);
        }
        for (const id of ids) {
          expect(await waitForJob(t, id, { timeoutMs: 30_000 })).toMatchObject({
            status: "succeeded",
          });
        }
      } finally {
        await t.close();
      }
    },
    60_000,
  );

  test("an unreadable message goes to the dead queue at once; a returned one after the delivery limit", async () => {
    const prefix = `inv_test_poison_${process.pid}_${Date.now().toString(36)}`;
    const delays = [200, 500];
    const logger = createLogger("silent");
    const broker = await openBroker(testAmqpUrl!, {
      prefix,
      queues: ["ai"],
      deliveryLimit: 3,
      retryDelaysMs: delays,
      logger,
    });
    const connection = await connect(testAmqpUrl!);
    const t = brokerTopology(prefix);
    try {
      await eventually("the broker", async () => broker.isConnected());
      const channel = await connection.createChannel();
      // Nobody consumes: this test plays the consumer that keeps giving a message back.
      channel.publish(t.exchange, "ai", Buffer.from(JSON.stringify({ jobId: "x" })), {
        persistent: true,
      });
      let deliveries = 0;
      await channel.consume(t.workQueue("ai"), (message) => {
        if (!message) return;
        deliveries++;
        channel.nack(message, false, true);
      });
      await eventually("the dead queue", async () => {
        const dead = await channel.checkQueue(t.deadQueue("ai"));
        return dead.messageCount === 1 || undefined;
      });
      await Bun.sleep(300);
      expect(deliveries).toBeGreaterThanOrEqual(3);
      expect(deliveries).toBeLessThanOrEqual(4);
      await channel.close();
    } finally {
      await connection.close();
      await broker.close();
      await deleteTestTopology(prefix, delays);
    }

    // Through a real consumer: a message that is not a job is dead-lettered without a retry.
    const app = await createTestApp({ jobs: { kinds: kinds.kinds } });
    try {
      await eventually("the worker", async () => (await readiness(app)).queue === "ok");
      const own = brokerTopology(app.deps.env.AMQP_PREFIX);
      const raw = await connect(testAmqpUrl!);
      try {
        const channel = await raw.createChannel();
        channel.publish(own.exchange, "ai", Buffer.from("not json"), { persistent: true });
        await eventually("the dead queue", async () => {
          const dead = await channel.checkQueue(own.deadQueue("ai"));
          return dead.messageCount === 1 || undefined;
        });
        const work = await channel.checkQueue(own.workQueue("ai"));
        expect(work.messageCount).toBe(0);
        await channel.close();
      } finally {
        await raw.close();
      }
    } finally {
      await app.close();
    }
  }, 60_000);

  describe.skipIf(!onPostgres)("worker process", () => {
    const slow = defineJob({
      name: "test.slow",
      queue: "plans",
      payload: z.object({ id: z.string(), ms: z.number().int() }),
      handle: async () => {
        throw new Error("runs in the worker process only");
      },
    });
    let t: TestApp;
    let dir: string;
    let marks: string;
    beforeAll(async () => {
      t = await createTestApp({ jobs: { role: "api" } });
      dir = mkdtempSync(join(tmpdir(), "inv-worker-"));
      marks = join(dir, "marks.txt");
      writeFileSync(marks, "");
    }, 30_000);
    afterAll(() => t.close());

    const startWorker = () =>
      Bun.spawn(["bun", "test/support/test-worker.ts"], {
        env: {
          ...process.env,
          DATABASE_URL: t.databaseUrl,
          AMQP_URL: t.deps.env.AMQP_URL,
          AMQP_PREFIX: t.deps.env.AMQP_PREFIX,
          JOB_RETRY_DELAYS_MS: t.deps.env.JOB_RETRY_DELAYS_MS.join(","),
          JOB_LEASE_SECONDS: "2",
          // A port of its own (0: any free one): other workers may run on this machine.
          WORKER_METRICS_PORT: "0",
          MARK_FILE: marks,
          DATA_DIR: dir,
          LOG_LEVEL: "warn",
        },
        stdout: "inherit",
        stderr: "inherit",
      });
    const lines = () => readFileSync(marks, "utf8").split("\n").filter(Boolean);

    test("with no worker running, /ready answers 503 naming the worker", async () => {
      const res = await t.request<{ checks: Record<string, string>; detail: string }>(
        "GET",
        "/ready",
      );
      expect(res.status).toBe(503);
      expect(res.body.checks).toMatchObject({ queue: "ok", worker: "unavailable" });
      expect(res.body.detail).toBe("Not ready: worker unavailable (no worker has been seen).");
    });

    test("killed mid-job (SIGKILL): the job is redelivered and completes exactly once", async () => {
      let worker = startWorker();
      try {
        const job = await enqueueJob(t.deps.db, slow, { id: "k1", ms: 2500 });
        await eventually("the job to start", async () => lines().includes("start k1"), 30_000);
        worker.kill("SIGKILL");
        await worker.exited;
        expect(
          (await t.request<{ status: string }>("GET", `/api/v1/jobs/${job.id}`)).body.status,
        ).toBe("running");
        worker = startWorker();
        const done = await waitForJob(t, job.id, { timeoutMs: 40_000 });
        expect(done).toMatchObject({ status: "succeeded", attempts: 2, result: { id: "k1" } });
        await Bun.sleep(500);
        const seen = lines();
        expect(seen.filter((line) => line === "start k1")).toHaveLength(2);
        expect(seen.filter((line) => line === "done k1")).toHaveLength(1);
      } finally {
        worker.kill("SIGKILL");
        await worker.exited;
      }
    }, 90_000);

    test("SIGTERM lets the job in flight finish, then the worker exits and is no longer seen", async () => {
      const worker = startWorker();
      try {
        const listed = async () =>
          (await t.request<{ workers: { id: string }[] }>("GET", "/api/v1/jobs")).body.workers.some(
            (seen) => seen.id.endsWith(`:${worker.pid}`),
          );
        await eventually("the worker to be seen", listed);
        const job = await enqueueJob(t.deps.db, slow, { id: "t1", ms: 1500 });
        await eventually("the job to start", async () => lines().includes("start t1"), 30_000);
        worker.kill("SIGTERM");
        expect(await worker.exited).toBe(0);
        expect(lines()).toContain("done t1");
        expect(await waitForJob(t, job.id, { timeoutMs: 5000 })).toMatchObject({
          status: "succeeded",
          attempts: 1,
        });
        expect(await listed()).toBe(false);
      } finally {
        worker.kill("SIGKILL");
        await worker.exited;
      }
    }, 60_000);
  });
});
