// bun run bench:http — GET /api/v1/boxes/{boxNo} (60 slots, 40 filled) on PostgreSQL,
// API vs a bare Bun.serve running the same SQL, measured with autocannon in one run; then
// time from process start to /ready = 200 on PostgreSQL and on the embedded default.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import {
  cpuMsOf,
  createMigratedDatabase,
  dropDatabase,
  fmt,
  type Started,
  startProcess,
} from "./support";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 16;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const { name, url } = await createMigratedDatabase("http");

const sql = postgres(url, { max: 1, onnotice: () => {} });
await sql`insert into boxes (box_no, description, capacity) values (1, 'Bench box', 60)`;
await sql`insert into locations (box_no, loc_no) select 1, n from generate_series(1, 60) n`;
await sql`
  insert into parts (id, description, manufacturer_code, type_id)
  select chr(65 + n / 26 % 26) || chr(65 + n % 26) || 'ZZ', 'Bench part ' || n, 'MC-' || n, 1
  from generate_series(1, 40) n`;
await sql`
  update locations l set part_id = p.id, qty = 10
  from (select id, row_number() over (order by id) as rn from parts) p
  where l.box_no = 1 and l.loc_no = p.rn`;
await sql.end();

/**
 * One autocannon run of `seconds` against a server; fails on any non-2xx answer. CPU per
 * request is the server process's own, from /proc: less swayed than req/s by what else
 * this shared machine runs at the time.
 */
async function run(server: Started, path: string, seconds: number) {
  const cpuBefore = cpuMsOf(server.process.pid);
  const result = await autocannon({
    url: server.url + path,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMs: (cpuMsOf(server.process.pid) - cpuBefore) / result.requests.total,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

// Both servers run side by side and take turns in short rounds, so a slower minute of this
// (shared, virtual) machine weighs on both alike; the ratio is the median of the rounds'.
const env = { DATABASE_URL: url, LOG_LEVEL: "info" };
const api = await startProcess(["bun", "src/main.ts"], env);
const pgReadyMs = api.msToReady;
const bare = await startProcess(["bun", "bench/bare-box-server.ts"], env);
await run(api, "/api/v1/boxes/1", 2);
await run(bare, "/boxes/1", 2);
const apiRounds: Awaited<ReturnType<typeof run>>[] = [];
const bareRounds: Awaited<ReturnType<typeof run>>[] = [];
for (let round = 0; round < ROUNDS; round++) {
  apiRounds.push(await run(api, "/api/v1/boxes/1", DURATION_S / ROUNDS));
  bareRounds.push(await run(bare, "/boxes/1", DURATION_S / ROUNDS));
}
await api.stop();
await bare.stop();
const summary = (rounds: typeof apiRounds) => ({
  rps: rounds.reduce((sum, r) => sum + r.rps, 0) / rounds.length,
  p50: median(rounds.map((r) => r.p50)),
  p99: median(rounds.map((r) => r.p99)),
  cpuMs: median(rounds.map((r) => r.cpuMs)),
});
const apiResult = summary(apiRounds);
const bareResult = summary(bareRounds);
const roundRatios = apiRounds.map((r, i) => r.rps / bareRounds[i]!.rps);

// A second start on PostgreSQL, now that the process and files are warm in the OS cache.
const apiAgain = await startProcess(["bun", "src/main.ts"], env);
await apiAgain.stop();

const dataDir = mkdtempSync(join(tmpdir(), "inv-bench-"));
const first = await startProcess(
  ["bun", "src/main.ts"],
  { DATA_DIR: dataDir, LOG_LEVEL: "warn" },
  "/ready",
  60_000,
);
await first.stop();
const embedded = await startProcess(["bun", "src/main.ts"], {
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
});
await embedded.stop();
rmSync(dataDir, { recursive: true, force: true });
await dropDatabase(name);

const ratio = median(roundRatios);
console.log(
  `\nGET /api/v1/boxes/{boxNo} — 60 slots, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_S / ROUNDS} s each, PostgreSQL`,
);
console.log("                       req/s     p50 ms   p99 ms   CPU ms/request (median)");
for (const [label, r] of [
  ["API (Hono + Drizzle)", apiResult],
  ["bare Bun.serve + SQL", bareResult],
] as const) {
  console.log(
    `${label.padEnd(22)} ${fmt(r.rps, 0).padStart(7)}  ${fmt(r.p50).padStart(7)}  ${fmt(r.p99).padStart(7)}   ${fmt(r.cpuMs, 3)}`,
  );
}
console.log(`ratio API / bare per round: ${roundRatios.map((r) => fmt(r, 2)).join(" ")}`);
console.log(
  `CPU per request API / bare (medians): ${fmt(apiResult.cpuMs / bareResult.cpuMs, 2)} (bare / API ${fmt(bareResult.cpuMs / apiResult.cpuMs, 2)})`,
);
console.log(
  `ratio API / bare (median of rounds): ${fmt(ratio, 2)} (target ≥ 0.8) ${ratio >= 0.8 ? "OK" : "BELOW TARGET"}`,
);
console.log("\nstart → /ready 200");
console.log(`PostgreSQL, first start:        ${fmt(pgReadyMs, 0)} ms (target ≤ 1000)`);
console.log(`PostgreSQL, second start:       ${fmt(apiAgain.msToReady, 0)} ms (target ≤ 1000)`);
console.log(`embedded, new data directory:   ${fmt(first.msToReady, 0)} ms (initdb + migrations)`);
console.log(`embedded, existing directory:   ${fmt(embedded.msToReady, 0)} ms (target ≤ 5000)`);
