// bun run bench:ai — `ai.analyze` jobs against the loopback OpenAI-compatible fake with a
// fixed model latency (BENCH_MODEL_MS, default 200 ms), on PostgreSQL with the embedded
// runner at the `ai` queue's prefetch (JOB_CONCURRENCY_AI, default 4). Rounds alternate:
//  - throughput: BENCH_JOBS analyze requests at once through the API, until all succeeded;
//    next to it the model alone: the same number of SDK calls, JOB_CONCURRENCY_AI at a time;
//  - overhead: one job at a time, (finished_at − created_at) of each job minus the fake's
//    own time for that request; next to it a bare SDK call minus the fake's time.
// Prints jobs/s, the ideal (concurrency / model latency), and overhead p50/p95 per job.
import { inArray } from "drizzle-orm";
import { createApp } from "../src/app";
import { createDeps } from "../src/deps";
import { parseEnv } from "../src/env";
import { AnalysisAnswer } from "../src/modules/ai/ai.model";
import { jobKinds } from "../src/modules/index";
import { startJobRuntime } from "../src/modules/jobs/jobs.runtime";
import { jobsTable } from "../src/modules/jobs/jobs.table";
import { startFakeOpenAi } from "../test/support/fake-openai";
import { createMigratedDatabase, dropDatabase, fmt } from "./support";

const MODEL_MS = Number(process.env.BENCH_MODEL_MS ?? 200);
const JOBS = Number(process.env.BENCH_JOBS ?? 80);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 25);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const fake = startFakeOpenAi({ latencyMs: MODEL_MS });
fake.setDefault("part_analysis", {
  json: {
    tags: ["relay", "5V", "SPST"],
    type: { name: "Relay", confidence: 0.9 },
    attributes: {
      manufacturer: "OMRON",
      package: "THT",
      mountingType: "through-hole",
      pinCount: 4,
      voltageRating: "5 V",
    },
  },
});

const { name, url } = await createMigratedDatabase("ai");
const env = parseEnv({
  DATABASE_URL: url,
  DATABASE_POOL_SIZE: "20",
  LOG_LEVEL: "silent",
  OPENAI_API_KEY: "test",
  OPENAI_BASE_URL: fake.url,
  ...(process.env.JOB_CONCURRENCY_AI && { JOB_CONCURRENCY_AI: process.env.JOB_CONCURRENCY_AI }),
});
const concurrency = env.JOB_CONCURRENCY_AI;
const deps = await createDeps(env);
const runtime = await startJobRuntime(deps, { role: "api", kinds: jobKinds, tasks: [] });
const app = createApp(deps);
const ai = deps.ai!;

async function post<T>(path: string, body: unknown): Promise<T> {
  const res = await app.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const partIds: string[] = [];
for (let i = 0; i < JOBS; i++) {
  const part = await post<{ id: string }>("/api/v1/parts", {
    description: `Relay 5 V SPST ${i}`,
    manufacturerCode: `G5Q-${i}`,
  });
  partIds.push(part.id);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

/** Waits for the jobs by polling their rows (not too often: the poll's CPU would count). */
async function finished(ids: string[], pollMs = 10) {
  for (;;) {
    const rows = await deps.db
      .select({
        status: jobsTable.status,
        created: jobsTable.createdAt,
        started: jobsTable.startedAt,
        done: jobsTable.finishedAt,
      })
      .from(jobsTable)
      .where(inArray(jobsTable.id, ids));
    if (rows.every((row) => row.status === "succeeded" || row.status === "failed")) {
      const failed = rows.filter((row) => row.status === "failed").length;
      if (failed > 0) throw new Error(`${failed} jobs failed`);
      return rows;
    }
    await Bun.sleep(pollMs);
  }
}

const analyze = (partId: string) =>
  post<{ id: string }>(`/api/v1/parts/${partId}/ai/analyze`, {}).then((job) => job.id);

/** This process's CPU milliseconds (API, runner, SDK and the fake alike) spent in `run`. */
async function cpuMs(run: () => Promise<number>) {
  const before = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(before);
  return { value, cpuMs: (used.user + used.system) / 1000 };
}

async function pipelineThroughput() {
  const started = performance.now();
  const ids = await Promise.all(partIds.map(analyze));
  await finished(ids, 50);
  return JOBS / ((performance.now() - started) / 1000);
}

const bareCall = (i: number) =>
  ai.complete({
    name: "part_analysis",
    schema: AnalysisAnswer,
    system: "bench",
    user: `Relay 5 V SPST ${i}`,
  });

async function bareThroughput() {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < JOBS) await bareCall(next++);
    }),
  );
  return JOBS / ((performance.now() - started) / 1000);
}

/** One job at a time: its database lifetime minus the fake's time for its request. */
async function pipelineOverhead() {
  const overheads: number[] = [];
  const waits: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const served = fake.servedMs.length;
    const id = await analyze(partIds[i % partIds.length]!);
    const [row] = await finished([id]);
    const model = fake.servedMs[served]!;
    overheads.push(row!.done!.getTime() - row!.created.getTime() - model);
    waits.push(row!.started!.getTime() - row!.created.getTime());
  }
  return { overheads, waits };
}

async function bareOverhead() {
  const overheads: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const served = fake.servedMs.length;
    const started = performance.now();
    await bareCall(i);
    overheads.push(performance.now() - started - fake.servedMs[served]!);
  }
  return overheads;
}

const range = (values: number[], digits = 1) =>
  `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;

const results = {
  pipeline: [] as number[],
  bare: [] as number[],
  p50: [] as number[],
  p95: [] as number[],
  wait: [] as number[],
  cpu: [] as number[],
  bareCpu: [] as number[],
  bareP50: [] as number[],
};
// Warm-up: connections, statement caches, the SDK.
await finished(await Promise.all(partIds.slice(0, concurrency).map(analyze)));
await bareCall(0);
for (let round = 1; round <= ROUNDS; round++) {
  const { value: pipeline, cpuMs: pipelineCpu } = await cpuMs(pipelineThroughput);
  const { value: bare, cpuMs: bareCpu } = await cpuMs(bareThroughput);
  results.cpu.push(pipelineCpu / JOBS);
  results.bareCpu.push(bareCpu / JOBS);
  const { overheads: overhead, waits } = await pipelineOverhead();
  const bareOver = await bareOverhead();
  results.pipeline.push(pipeline);
  results.bare.push(bare);
  results.p50.push(percentile(overhead, 50));
  results.p95.push(percentile(overhead, 95));
  results.bareP50.push(percentile(bareOver, 50));
  results.wait.push(percentile(waits, 50));
  console.log(
    `round ${round}: pipeline ${fmt(pipeline)} jobs/s | model alone ${fmt(bare)} calls/s | CPU per job ${fmt(pipelineCpu / JOBS)} ms vs ${fmt(bareCpu / JOBS)} ms per bare call | overhead per job p50 ${fmt(percentile(overhead, 50))} ms p95 ${fmt(percentile(overhead, 95))} ms (enqueue→start p50 ${fmt(percentile(waits, 50))} ms) | bare SDK call overhead p50 ${fmt(percentile(bareOver, 50))} ms`,
  );
}
console.log(
  `\n${JOBS} analyze jobs × ${ROUNDS} rounds at JOB_CONCURRENCY_AI=${concurrency}, model latency ${MODEL_MS} ms (ideal ${fmt((concurrency * 1000) / MODEL_MS)} jobs/s):` +
    `\n  pipeline ${range(results.pipeline)} jobs/s, model alone ${range(results.bare)} calls/s` +
    `\n  CPU of this process per job ${range(results.cpu)} ms, per bare call ${range(results.bareCpu)} ms (PostgreSQL's own not counted)` +
    `\n  overhead the pipeline adds to the model's time (one job at a time, ${SEQUENTIAL} jobs): p50 ${range(results.p50)} ms, p95 ${range(results.p95)} ms (target ≤ 30 ms p50)` +
    `\n  of which enqueue→start p50 ${range(results.wait)} ms; the SDK and loopback HTTP alone: p50 ${range(results.bareP50)} ms`,
);

await runtime.stop(5000);
await deps.database.close();
await fake.close();
await dropDatabase(name);
