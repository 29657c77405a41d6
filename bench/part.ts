// bun run bench:part — GET /api/v1/parts/{id} at 100,000 parts on PostgreSQL, 16 connections,
// random ids: a listening API process next to the same statements run straight through
// postgres.js at the same concurrency (16 callers, a pool of the API's size), in alternating
// rounds. Reports requests/s, the ratio API / raw per round, and CPU per request of the API
// process and of its PostgreSQL backends, from /proc. BENCH_DATABASE=<name> reuses (and
// keeps) an already seeded database; BENCH_API_PROCESSES=N starts N API processes sharing
// the port (node:cluster workers, bench/api-processes.ts).
import { loadavg } from "node:os";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { partWithSlotsQuery } from "../src/modules/parts/parts.repo";
import {
  childPids,
  cpuMsOf,
  dropDatabase,
  fmt,
  freePort,
  seededDatabase,
  startProcess,
} from "./support";

const PARTS = Number(process.env.BENCH_PARTS ?? 100_000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
const CONNECTIONS = 16;
const POOL = 10;
const { name, url, kept } = await seededDatabase("part", PARTS);

const settings = { jit: "off", max_parallel_workers_per_gather: "0" };
const admin = postgres(url, { max: 1, onnotice: () => {} });
const ids = (await admin<{ id: string }[]>`select id from parts order by random() limit 5000`).map(
  (row) => row.id,
);
const randomId = () => ids[Math.floor(Math.random() * ids.length)]!;

async function backendPids(application: string): Promise<number[]> {
  const rows = await admin<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = ${name} and application_name = ${application}`;
  return rows.map((row) => row.pid);
}
const cpuMs = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);

// The raw side: the statement the API sends for one part (the part with its type name and
// its stocked slots), prepared, its row shaped into the same JSON text.
const partQuery = new PgDialect().sqlToQuery(partWithSlotsQuery(sql.placeholder("id")));
const raw = postgres(url, {
  max: POOL,
  onnotice: () => {},
  connection: { application_name: "bench-part-raw", ...settings },
});
async function rawGet(id: string) {
  const [row] = await raw.unsafe(partQuery.sql, [id], { prepare: true });
  if (!row) throw new Error(`no part ${id}`);
  const { part, slots } = row as unknown as { part: Record<string, unknown>; slots: number[][] };
  const locations = slots.map(([boxNo, locNo, qty]) => ({
    boxNo,
    locNo,
    code: `${boxNo}-${locNo}`,
    qty,
  }));
  return JSON.stringify({ ...part, locations });
}

/** CONNECTIONS callers doing `once` back to back for `seconds`; answers calls per second. */
async function drive(seconds: number, once: () => Promise<unknown>) {
  let calls = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        await once();
        calls++;
      }
    }),
  );
  return { calls, perSecond: calls / ((performance.now() - started) / 1000) };
}

async function hammer(base: string, seconds: number) {
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/parts/${randomId()}` }) }],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return { calls: result.requests.total, perSecond: result.requests.average };
}

const env = { DATABASE_URL: url, LOG_LEVEL: "info", DATABASE_POOL_SIZE: String(POOL) };
const port = freePort();
// More than one API process: node:cluster workers sharing the port (bench/api-processes.ts).
const server = await startProcess(
  PROCESSES > 1 ? ["bun", "bench/api-processes.ts"] : ["bun", "src/main.ts"],
  { ...env, API_PROCESSES: String(PROCESSES) },
  "/ready",
  30_000,
  port,
);
// Every worker has started listening before the rounds begin.
if (PROCESSES > 1) await Bun.sleep(3000);
const apis = [server.process.pid, ...childPids(server.process.pid)];
const base = server.url;
await hammer(base, 2);
await drive(2, () => rawGet(randomId()));

const apiPids = [...apis, ...(await backendPids("parts-inventory"))];
const rawPids = await backendPids("bench-part-raw");
const rounds: {
  api: number;
  raw: number;
  apiCpu: number;
  apiPgCpu: number;
  rawCpu: number;
  rawPgCpu: number;
}[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const seconds = DURATION_S / ROUNDS;
  const apiBefore = apis.map(cpuMsOf);
  const apiPgBefore = cpuMs(apiPids.slice(apis.length));
  const api = await hammer(base, seconds);
  const apiCpu = apis.reduce((sum, pid, i) => sum + cpuMsOf(pid) - apiBefore[i]!, 0);
  const apiPgCpu = cpuMs(apiPids.slice(apis.length)) - apiPgBefore;

  const rawPgBefore = cpuMs(rawPids);
  const clientBefore = process.cpuUsage();
  const direct = await drive(seconds, () => rawGet(randomId()));
  const client = process.cpuUsage(clientBefore);
  const rawPgCpu = cpuMs(rawPids) - rawPgBefore;
  rounds.push({
    api: api.perSecond,
    raw: direct.perSecond,
    apiCpu: apiCpu / api.calls,
    apiPgCpu: apiPgCpu / api.calls,
    rawCpu: (client.user + client.system) / 1000 / direct.calls,
    rawPgCpu: rawPgCpu / direct.calls,
  });
}
await server.stop();
await raw.end();
await admin.end();
if (!kept) await dropDatabase(name);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const range = (values: number[], digits = 2) =>
  `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
const ratios = rounds.map((r) => r.api / r.raw);
const pick = (key: keyof (typeof rounds)[number]) => rounds.map((r) => r[key]);
console.log(
  `\nGET /api/v1/parts/{id} — ${PARTS} parts, ${CONNECTIONS} connections, random ids, ${ROUNDS} alternating rounds of ${DURATION_S / ROUNDS} s, ${PROCESSES} API process(es), load average ${loadavg()[0]?.toFixed(1)}`,
);
console.log(
  `API req/s per round:            ${pick("api")
    .map((v) => fmt(v, 0))
    .join(" ")}`,
);
console.log(
  `raw postgres.js calls/s:        ${pick("raw")
    .map((v) => fmt(v, 0))
    .join(" ")}`,
);
console.log(`ratio API / raw per round:      ${ratios.map((r) => fmt(r, 2)).join(" ")}`);
const ratio = median(ratios);
console.log(
  `ratio API / raw (median):       ${fmt(ratio, 2)} (target ≥ 0.4) ${ratio >= 0.4 ? "OK" : "BELOW TARGET"}`,
);
const apiCpu = median(pick("apiCpu"));
console.log(
  `API process CPU per request:    ${fmt(apiCpu, 3)} ms median (${range(pick("apiCpu"), 3)}) (target ≤ 0.4) ${apiCpu <= 0.4 ? "OK" : "ABOVE TARGET"}`,
);
console.log(
  `its PostgreSQL backends:        ${fmt(median(pick("apiPgCpu")), 3)} ms (${range(pick("apiPgCpu"), 3)})`,
);
console.log(
  `raw client (postgres.js) CPU:   ${fmt(median(pick("rawCpu")), 3)} ms (${range(pick("rawCpu"), 3)})`,
);
console.log(
  `raw PostgreSQL backends:        ${fmt(median(pick("rawPgCpu")), 3)} ms (${range(pick("rawPgCpu"), 3)})`,
);
