// bun run bench:search — search and the parts list at 100,000 parts on PostgreSQL: a fresh
// database seeded by seedBench, a fixed query mix sent one at a time to a real listening
// API server, next to the same search SQL run straight through postgres.js in the same
// run; each list filter one request at a time (latency) and from 16 connections
// (throughput); then EXPLAIN ANALYZE of a few searches to show which indexes serve them.
// BENCH_DATABASE=<name> reuses (and keeps) an already seeded database.

import { loadavg } from "node:os";
import autocannon from "autocannon";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { searchStatement } from "../src/modules/search/search.repo";
import { searchTerms } from "../src/modules/search/search.service";
import { connectPostgres } from "../src/platform/db";
import { seedBench } from "../src/scripts/seed-bench";
import {
  cpuMsOf,
  createDatabase,
  databaseUrl,
  dropDatabase,
  fmt,
  startProcess,
  statementCountingApp,
} from "./support";

const PARTS = Number(process.env.BENCH_PARTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
/** One path per list measurement, so more rounds for a p95 worth the name. */
const LIST_ROUNDS = Number(process.env.BENCH_LIST_ROUNDS ?? 200);
/** Seconds of 16-connection load per list filter. */
const LIST_SECONDS = Number(process.env.BENCH_LIST_SECONDS ?? 5);
const CONNECTIONS = 16;
const LIMIT = 20;
const kept = process.env.BENCH_DATABASE;
const name = kept ?? `inv_bench_search_${Date.now().toString(36)}`;
const url = databaseUrl(name);

let seedLine = `reused database ${name}`;
if (!kept) {
  await createDatabase(name);
  const database = connectPostgres(url, 2);
  await database.migrate();
  const seedStarted = performance.now();
  const seeded = await seedBench(database.db, { parts: PARTS });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await database.close();
  seedLine = `seedBench: ${seeded.parts} parts, ${seeded.boxes} boxes, ${seeded.stockedSlots} stocked slots, ${seeded.ledgerRows} ledger rows in ${fmt(seedSeconds)} s`;
}

const client = postgres(url, {
  max: 1,
  onnotice: () => {},
  connection: {
    application_name: "bench-search",
    jit: "off",
    max_parallel_workers_per_gather: "0",
  },
});
// What autovacuum would have done by now: statistics, and the visibility map that lets
// index-only scans skip the heap.
if (!kept) await client`vacuum analyze`;

const [sample] = await client<{ ids: string[]; typeId: number }[]>`
  select array_agg(id order by id) filter (where id like '%M') as ids,
    (select type_id from parts group by type_id order by count(*) desc limit 1) as "typeId"
  from (select id from parts order by id limit 2000) p`;
const partIds = sample!.ids.slice(0, 4);

const queries = [
  // ids, also lower case
  partIds[0]!,
  partIds[1]!.toLowerCase(),
  partIds[2]!,
  // manufacturer codes and fragments of them
  "G5Q-1A4",
  "g5q",
  "ne55",
  "328p",
  "lm78",
  "ws2812",
  "stm32f103",
  // typos
  "resistr",
  "capacitr",
  "temprature",
  "ultrasonc",
  "atmga328",
  // words
  "relay",
  "timer",
  "voltage regulator",
  "humidity sensor",
  "jumper wire",
  // tags, values and sellers
  "rohs",
  "sot-23",
  "4.7k",
  "100nf",
  "reichelt",
];

const dialect = new PgDialect();
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Figures {
  p50: number;
  p95: number;
  max: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
}

/**
 * CPU milliseconds used so far by processes (user + system, from /proc; Linux). The
 * machine running this may be shared, so wall-clock latency is shown next to the CPU
 * time the work itself took.
 */
function cpuMs(pids: number[]): number {
  try {
    return pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  } catch {
    return Number.NaN;
  }
}

async function backendPids(application: string): Promise<number[]> {
  const rows = await client<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = ${name} and application_name = ${application}`;
  return rows.map((row) => row.pid);
}

/** Runs `once` for every item, `rounds` times after one warm-up round; answers latencies. */
async function measure<T>(items: T[], once: (item: T) => Promise<void>, rounds = ROUNDS) {
  for (const item of items) await once(item);
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const item of items) {
      const started = performance.now();
      await once(item);
      samples.push(performance.now() - started);
    }
  }
  return figures(samples);
}

/** Like `measure`, with `a` and `b` alternating item by item; answers both latencies. */
async function measurePaired<T>(
  items: T[],
  a: (item: T) => Promise<void>,
  b: (item: T) => Promise<void>,
) {
  const samples: [number[], number[]] = [[], []];
  const timed = async (side: 0 | 1, once: (item: T) => Promise<void>, item: T) => {
    const started = performance.now();
    await once(item);
    samples[side].push(performance.now() - started);
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const item of items) {
      await timed(0, a, item);
      await timed(1, b, item);
    }
  }
  return [figures(samples[0]), figures(samples[1])] as const;
}

function rawSearch(q: string) {
  const query = dialect.sqlToQuery(searchStatement(searchTerms(q), LIMIT));
  return { text: query.sql, params: query.params as postgres.ParameterOrJSON<never>[] };
}

const hitCounts = new Map<string, number>();
const rawPids = await backendPids("bench-search");
const rawCpuBefore = cpuMs(rawPids);
const clientCpuBefore = process.cpuUsage();
async function rawOnce(q: string) {
  const { text, params } = rawSearch(q);
  const rows = await client.unsafe(text, params, { prepare: true });
  hitCounts.set(q, rows.length);
}
// CPU per search: each side alone, so its processes' CPU time is its own.
await measure(queries, rawOnce);
const searches = queries.length * (ROUNDS + 1);
const clientCpu = process.cpuUsage(clientCpuBefore);
// The raw side's client is this process: its postgres.js work counts like the API server's.
const rawCpu =
  (cpuMs(rawPids) - rawCpuBefore + (clientCpu.user + clientCpu.system) / 1000) / searches;

const api = await startProcess(["bun", "src/main.ts"], {
  DATABASE_URL: url,
  LOG_LEVEL: "warn",
  DATABASE_POOL_SIZE: "4",
});
async function get(path: string) {
  const res = await fetch(api.url + path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}
await get("/api/v1/search?q=warm");
const apiPids = [api.process.pid, ...(await backendPids("parts-inventory"))];
const apiCpuBefore = cpuMs(apiPids);
const apiOnce = (q: string) => get(`/api/v1/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`);
await measure(queries, apiOnce);
const apiCpu = (cpuMs(apiPids) - apiCpuBefore) / searches;
// Latency: the two sides take turns query by query, so both meet the same moments of this
// shared machine (run one after the other, the ratio swung by ±30 %).
const [raw, viaApi] = await measurePaired(queries, rawOnce, apiOnce);

const listPaths = [
  "/api/v1/parts?limit=50",
  `/api/v1/parts?limit=50&typeId=${sample!.typeId}`,
  "/api/v1/parts?limit=50&tag=rohs",
  "/api/v1/parts?limit=50&inStock=true",
  "/api/v1/parts?limit=50&sort=-createdAt",
];
const counting = await statementCountingApp(url);
const lists = new Map<string, Figures & { kb: number; rps: number; statements: number }>();
for (const path of listPaths) {
  const res = await fetch(api.url + path);
  const kb = (await res.arrayBuffer()).byteLength / 1024;
  // The first request of a connection also fetches postgres.js's array types: count the second.
  await counting.statementsOf(path);
  const statements = await counting.statementsOf(path);
  lists.set(path, { ...(await measure([path], get, LIST_ROUNDS)), kb, rps: 0, statements });
}
await counting.close();
for (const path of listPaths) {
  const result = await autocannon({
    url: api.url + path,
    connections: CONNECTIONS,
    duration: LIST_SECONDS,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  lists.get(path)!.rps = result.requests.average;
}
await api.stop();

const plans: string[] = [];
for (const q of ["g5q", "resistr", "voltage regulator"]) {
  const { text, params } = rawSearch(q);
  const rows = await client.unsafe(`explain (analyze, costs off) ${text}`, params);
  const lines = rows.map((row) => String(row["QUERY PLAN"]));
  plans.push(`q=${JSON.stringify(q)}`);
  plans.push(
    ...lines.filter((line) => /Index|Execution Time|One-Time Filter|Never executed/.test(line)),
  );
}
await client.end();
if (!kept) await dropDatabase(name);

const ratio = viaApi.p95 / raw.p95;
console.log(`\n${seedLine}`);
console.log(
  `\nsearch, ${queries.length} queries × ${ROUNDS} rounds, one at a time, API and raw taking turns, limit ${LIMIT}`,
);
console.log("                          p50 ms   p95 ms   max ms");
for (const [label, r] of [
  ["API (GET /api/v1/search)", viaApi],
  ["raw SQL (postgres.js)", raw],
] as const) {
  console.log(
    `${label.padEnd(25)} ${fmt(r.p50, 2).padStart(6)}   ${fmt(r.p95, 2).padStart(6)}   ${fmt(r.max, 2).padStart(6)}`,
  );
}
console.log(
  `API p95 ${fmt(viaApi.p95, 2)} ms (target ≤ 15) ${viaApi.p95 <= 15 ? "OK" : "ABOVE TARGET"}`,
);
console.log(
  `ratio API / raw (p95): ${fmt(ratio, 2)} (target ≤ 1.3) ${ratio <= 1.3 ? "OK" : "ABOVE TARGET"}`,
);
console.log(
  `CPU per search: API server + its database backends ${fmt(apiCpu, 2)} ms, raw: this process (postgres.js) + its backend ${fmt(rawCpu, 2)} ms (load average now ${loadavg()[0]?.toFixed(1)})`,
);
console.log(`hits per query: ${queries.map((q) => `${q}=${hitCounts.get(q)}`).join(", ")}`);
console.log(
  `\nparts list: ${LIST_ROUNDS} requests one at a time, then ${CONNECTIONS} connections for ${LIST_SECONDS} s, per filter`,
);
for (const [path, r] of lists) {
  console.log(
    `${path.padEnd(42)} ${fmt(r.kb)} KB, ${r.statements} statement(s)  p50 ${fmt(r.p50, 2)} ms  p95 ${fmt(r.p95, 2)} ms (target ≤ 10) ${r.p95 <= 10 ? "OK" : "ABOVE TARGET"}  ${fmt(r.rps, 0)} req/s`,
  );
}
console.log("\nEXPLAIN ANALYZE of the search statement (index lines):");
for (const line of plans) console.log(`  ${line}`);
