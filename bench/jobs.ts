// bun run bench:jobs — a no-op job end to end on PostgreSQL and RabbitMQ: enqueued in a
// transaction by 16 concurrent writers (as API requests would), published by the outbox
// relay, consumed by a worker process, its row marked succeeded. Next to it, in alternating
// rounds, raw amqplib: 16 concurrent publishers on confirm channels and one consumer with
// manual acks, the same number of messages. Prints jobs/s and enqueue-to-start p50/p95
// flat out, and enqueue-to-start p50/p95 with the jobs enqueued at the target 500/s.
import { connect } from "amqplib";
import { sql } from "drizzle-orm";
import { createDeps } from "../src/deps";
import { parseEnv } from "../src/env";
import { enqueueJob } from "../src/modules/jobs/jobs.repo";
import { startJobRuntime } from "../src/modules/jobs/jobs.runtime";
import { queryRows, withTx } from "../src/platform/db";
import { noopJob } from "./jobs-worker";
import { createMigratedDatabase, dropDatabase, fmt } from "./support";

const JOBS = Number(process.env.BENCH_JOBS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WRITERS = 16;
const PACED_PER_S = 500;
const AMQP_URL = process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const prefix = `inv_bench_jobs_${Date.now().toString(36)}`;

const { name, url } = await createMigratedDatabase("jobs");
const env = parseEnv({
  DATABASE_URL: url,
  DATABASE_POOL_SIZE: "20",
  AMQP_URL,
  AMQP_PREFIX: prefix,
  LOG_LEVEL: "silent",
});
const deps = await createDeps(env);
const relay = await startJobRuntime(deps, { role: "api", kinds: [noopJob], tasks: [] });
const worker = Bun.spawn(["bun", "bench/jobs-worker.ts"], {
  env: {
    ...process.env,
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: "20",
    AMQP_URL,
    AMQP_PREFIX: prefix,
    JOB_CONCURRENCY_AI: "32",
    WORKER_METRICS_PORT: "0",
    LOG_LEVEL: "warn",
  },
  stdout: "inherit",
  stderr: "inherit",
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function inParallel(count: number, each: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < count) await each(next++);
    }),
  );
}

interface Round {
  perSecond: number;
  p50: number;
  p95: number;
}

/**
 * `paced`: jobs are enqueued at PACED_PER_S (the target rate) instead of as fast as the
 * writers can, so the latency measured is the pipeline's own, not the wait in a queue
 * that a saturating closed loop always builds in front of its slowest stage.
 */
async function pipelineRound(paced = false): Promise<Round> {
  await deps.db.execute(sql`truncate jobs`);
  const started = performance.now();
  await inParallel(JOBS, async (n) => {
    if (paced) {
      const due = started + (n * 1000) / PACED_PER_S;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
    }
    await withTx(deps.db, (tx) => enqueueJob(tx, noopJob, { n }));
  });
  for (;;) {
    const [row] = await queryRows<{ done: number }>(
      deps.db,
      sql`select count(*)::int as done from jobs where status = 'succeeded'`,
    );
    if (row!.done >= JOBS) break;
    await Bun.sleep(20);
  }
  const [stats] = await queryRows<{
    span: number;
    p50: number;
    p95: number;
    enqueued: number;
    published: number;
    started: number;
  }>(
    deps.db,
    sql`select extract(epoch from max(finished_at) - min(created_at))::float8 as span,
          extract(epoch from max(created_at) - min(created_at))::float8 as enqueued,
          extract(epoch from max(published_at) - min(created_at))::float8 as published,
          extract(epoch from max(started_at) - min(created_at))::float8 as started,
          percentile_cont(0.5) within group (order by extract(epoch from started_at - created_at))::float8 * 1000 as p50,
          percentile_cont(0.95) within group (order by extract(epoch from started_at - created_at))::float8 * 1000 as p95
        from jobs`,
  );
  if (process.env.BENCH_VERBOSE) {
    const [parts] = await queryRows<{ toPublish: number; toStart: number }>(
      deps.db,
      sql`select percentile_cont(0.5) within group (order by extract(epoch from published_at - created_at))::float8 * 1000 as "toPublish",
            percentile_cont(0.5) within group (order by extract(epoch from started_at - published_at))::float8 * 1000 as "toStart"
          from jobs`,
    );
    console.log(
      `  p50 enqueue→published ${fmt(parts!.toPublish)} ms, published→started ${fmt(parts!.toStart)} ms`,
    );
    console.log(
      `  all enqueued after ${fmt(stats!.enqueued, 2)} s, published ${fmt(stats!.published, 2)} s, started ${fmt(stats!.started, 2)} s, finished ${fmt(stats!.span, 2)} s`,
    );
  }
  return { perSecond: JOBS / stats!.span, p50: stats!.p50, p95: stats!.p95 };
}

const rawQueue = `${prefix}.raw`;
async function rawRound(): Promise<Round> {
  const consumerConnection = await connect(AMQP_URL);
  const publisherConnection = await connect(AMQP_URL);
  const consumer = await consumerConnection.createChannel();
  await consumer.assertQueue(rawQueue, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await consumer.prefetch(32);
  const latencies: number[] = [];
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const started = performance.now();
  let last = started;
  await consumer.consume(rawQueue, (message) => {
    if (!message) return;
    const sent = Number(message.content.toString());
    latencies.push(performance.now() - sent);
    consumer.ack(message);
    if (latencies.length === JOBS) {
      last = performance.now();
      finished();
    }
  });
  const publishers = await Promise.all(
    Array.from({ length: WRITERS }, () => publisherConnection.createConfirmChannel()),
  );
  let next = 0;
  await Promise.all(
    publishers.map(async (channel) => {
      while (next < JOBS) {
        next++;
        channel.sendToQueue(rawQueue, Buffer.from(String(performance.now())), { persistent: true });
        await channel.waitForConfirms();
      }
    }),
  );
  await allDone;
  await consumerConnection.close();
  await publisherConnection.close();
  latencies.sort((a, b) => a - b);
  return {
    perSecond: JOBS / ((last - started) / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

// Warm up both paths, then alternate.
await Bun.sleep(1500);
const pipeline: Round[] = [];
const raw: Round[] = [];
const paced: Round[] = [];
for (let round = 0; round < ROUNDS; round++) {
  pipeline.push(await pipelineRound());
  raw.push(await rawRound());
  paced.push(await pipelineRound(true));
  const p = pipeline.at(-1)!;
  const r = raw.at(-1)!;
  console.log(
    `round ${round + 1}: at ${PACED_PER_S}/s enqueue→start p50 ${fmt(paced.at(-1)!.p50)} ms p95 ${fmt(paced.at(-1)!.p95)} ms | flat out: pipeline ${fmt(p.perSecond, 0)} jobs/s, enqueue→start p50 ${fmt(p.p50)} ms p95 ${fmt(p.p95)} ms | raw amqplib ${fmt(r.perSecond, 0)} msg/s, p50 ${fmt(r.p50)} ms p95 ${fmt(r.p95)} ms | ratio ${fmt(p.perSecond / r.perSecond, 2)}×`,
  );
}
const range = (values: number[], digits = 1) =>
  `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
console.log(
  `\n${JOBS} jobs × ${ROUNDS} rounds. pipeline: ${range(
    pipeline.map((r) => r.perSecond),
    0,
  )} jobs/s flat out (target ≥ 500), enqueue→start p50 ${range(pipeline.map((r) => r.p50))} ms, p95 ${range(
    pipeline.map((r) => r.p95),
  )} ms; at ${PACED_PER_S} jobs/s: p50 ${range(paced.map((r) => r.p50))} ms, p95 ${range(
    paced.map((r) => r.p95),
  )} ms (target ≤ 50). raw amqplib: ${range(
    raw.map((r) => r.perSecond),
    0,
  )} msg/s, p95 ${range(raw.map((r) => r.p95))} ms. ratio ${range(
    pipeline.map((p, i) => p.perSecond / raw[i]!.perSecond),
    2,
  )}×`,
);

worker.kill("SIGTERM");
await worker.exited;
await relay.stop();
const cleanup = await connect(AMQP_URL);
const channel = await cleanup.createChannel();
await channel.deleteQueue(rawQueue);
for (const queue of ["media", "ai", "plans"]) {
  for (const suffix of ["", ".dead", ...env.JOB_RETRY_DELAYS_MS.map((ms) => `.retry.${ms}ms`)])
    await channel.deleteQueue(`${prefix}.${queue}${suffix}`);
}
await channel.deleteExchange(`${prefix}.jobs`);
await channel.deleteExchange(`${prefix}.dead`);
await cleanup.close();
await deps.database.close();
await deps.storage.close();
await dropDatabase(name);
process.exit(0);
