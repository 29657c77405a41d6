// bun run bench:reorg — reorganisation plans at 10,000 parts scattered over 200 boxes of
// 60 slots (one slot each, eleven types, random slots), on PostgreSQL. Rounds alternate
// between the planner called directly (layout read + pure function, in this process) and
// a plan through a listening API process (POST /reorg/plans → job on the embedded runner →
// moves stored → job succeeded), unlimited and with the default cap of 50. Then the last
// unlimited plan is applied through the API and the dashboard read: the summed boxes
// spanned must come within 10 % of the summed lower bound.
import { loadavg } from "node:os";
import postgres from "postgres";
import { planReorganisation } from "../src/modules/reorg/reorg.planner";
import { readLayout } from "../src/modules/reorg/reorg.repo";
import { connectPostgres } from "../src/platform/db";
import { createMigratedDatabase, dropDatabase, fmt, startProcess } from "./support";

const BOXES = 200;
const CAPACITY = 60;
const PARTS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PLAN_TARGET_MS = 1000;
const SPAN_TARGET = 1.1;

const { name, url } = await createMigratedDatabase("reorg");

const sql = postgres(url, { max: 1, onnotice: () => {} });
const typeIds = (await sql<{ id: number }[]>`select id from types order by id`).map((t) => t.id);
await sql`
  insert into boxes (box_no, description, capacity)
  select b, 'Bench box ' || b, ${CAPACITY} from generate_series(1, ${BOXES}) b`;
await sql`
  insert into locations (box_no, loc_no)
  select b, s from generate_series(1, ${BOXES}) b, generate_series(1, ${CAPACITY}) s`;
// Part n has the id spelling n in base 26 and a type picked by a hash of n.
await sql`
  insert into parts (id, description, manufacturer_code, type_id)
  select chr(65 + n / 17576 % 26) || chr(65 + n / 676 % 26) || chr(65 + n / 26 % 26)
           || chr(65 + n % 26),
         'Bench part ' || n, 'MC-' || n,
         (${typeIds}::int[])[1 + abs(hashtext('type' || n)) % ${typeIds.length}]
  from generate_series(1, ${PARTS}) n`;
// Scattered: the parts in id order take the slots in a hashed order.
await sql`
  with slots as (
    select box_no, loc_no, row_number() over (order by md5(box_no || '-' || loc_no)) as i
    from locations
  ), numbered as (select id, row_number() over (order by id) as i from parts)
  update locations l set part_id = p.id, qty = 1 + p.i % 50
  from slots s join numbered p on p.i = s.i
  where l.box_no = s.box_no and l.loc_no = s.loc_no`;
await sql`
  insert into stock_ledger (part_id, box_no, loc_no, delta_qty, reason)
  select part_id, box_no, loc_no, qty, 'add' from locations where part_id is not null`;
await sql.end();

const loadBefore = loadavg()[0]!;
const database = connectPostgres(url, 2);
const api = await startProcess(["bun", "src/main.ts"], { DATABASE_URL: url, LOG_LEVEL: "warn" });

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(api.url + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface Job {
  status: string;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

interface Metrics {
  boxesSpanned: number;
  lowerBound: number;
  gaps: number;
  splitRuns: number;
}

function direct(maxMoves: number | null) {
  return async () => {
    const t0 = performance.now();
    const layout = await readLayout(database.db);
    const t1 = performance.now();
    const plan = planReorganisation(layout, { maxMoves });
    const t2 = performance.now();
    return { readMs: t1 - t0, planMs: t2 - t1, totalMs: t2 - t0, moves: plan.moves.length };
  };
}

function throughApi(maxMoves: number | null) {
  return async () => {
    const t0 = performance.now();
    const accepted = await call<{ id: string; planId: string }>("POST", "/api/v1/reorg/plans", {
      maxMoves,
    });
    let job: Job;
    for (;;) {
      job = await call<Job>("GET", `/api/v1/jobs/${accepted.id}`);
      if (job.status === "succeeded") break;
      if (job.status === "failed") throw new Error(`plan job failed: ${job.error}`);
      await Bun.sleep(5);
    }
    const totalMs = performance.now() - t0;
    // Where the time went, by the job's own clock: waiting to start, then running.
    const waitMs = Date.parse(job.startedAt!) - Date.parse(job.createdAt);
    const runMs = Date.parse(job.finishedAt!) - Date.parse(job.startedAt!);
    const plan = await call<{ id: string; moves: unknown[] }>(
      "GET",
      `/api/v1/reorg/plans/${accepted.planId}`,
    );
    return { totalMs, waitMs, runMs, moves: plan.moves.length, planId: plan.id };
  };
}

type Sample = { totalMs: number; moves: number };
const sides: Record<string, { run: () => Promise<Sample>; samples: Sample[] }> = {};
for (const [label, maxMoves] of [
  ["unlimited", null],
  ["maxMoves 50", 50],
] as const) {
  sides[`planner direct, ${label}`] = { run: direct(maxMoves), samples: [] };
  sides[`API job, ${label}`] = { run: throughApi(maxMoves), samples: [] };
}
// One warm-up of each side, then rounds alternating between them.
for (const side of Object.values(sides)) await side.run();
for (let round = 0; round < ROUNDS; round++) {
  for (const side of Object.values(sides)) side.samples.push(await side.run());
}

const lastUnlimited = (await throughApi(null)()) as Awaited<
  ReturnType<ReturnType<typeof throughApi>>
>;
const before = await call<{ totals: Metrics }>("GET", "/api/v1/reorg/dashboard");
const t0 = performance.now();
const applied = await call<{ status: string; appliedNow: string[] }>(
  "POST",
  `/api/v1/reorg/plans/${lastUnlimited.planId}/apply`,
);
const applyMs = performance.now() - t0;
const after = await call<{ totals: Metrics }>("GET", "/api/v1/reorg/dashboard");

await api.stop();
await database.close();
await dropDatabase(name);

const range = (values: number[]) => `${fmt(Math.min(...values), 0)}–${fmt(Math.max(...values), 0)}`;
console.log(
  `\nbench:reorg — ${PARTS} parts (one slot each, ${typeIds.length} types) scattered over ${BOXES} boxes of ${CAPACITY}, PostgreSQL, ${ROUNDS} alternating rounds`,
);
console.log(
  `machine load average (1 min) ${fmt(loadBefore)} at start, ${fmt(loadavg()[0]!)} at the end`,
);
console.log("                                    total ms     moves");
for (const [label, side] of Object.entries(sides)) {
  const moves = [...new Set(side.samples.map((s) => s.moves))].join("/");
  console.log(`${label.padEnd(36)}${range(side.samples.map((s) => s.totalMs)).padEnd(13)}${moves}`);
}
const directUnlimited = sides["planner direct, unlimited"]!.samples as (Sample & {
  readMs: number;
  planMs: number;
})[];
console.log(
  `  of which planner alone (pure function): ${range(directUnlimited.map((s) => s.planMs))} ms, layout read ${range(directUnlimited.map((s) => s.readMs))} ms`,
);
for (const label of ["unlimited", "maxMoves 50"]) {
  const samples = sides[`API job, ${label}`]!.samples as (Sample & {
    waitMs: number;
    runMs: number;
  })[];
  console.log(
    `  API job, ${label}: waiting to start ${range(samples.map((s) => s.waitMs))} ms, running ${range(samples.map((s) => s.runMs))} ms (job timestamps)`,
  );
}
const apiUnlimited = sides["API job, unlimited"]!.samples.map((s) => s.totalMs);
const worstPlan = Math.max(...apiUnlimited);
console.log(
  `plan ≤ ${PLAN_TARGET_MS} ms (API job, unlimited, worst round): ${fmt(worstPlan, 0)} ms → ${worstPlan <= PLAN_TARGET_MS ? "met" : "MISSED"}`,
);
const { boxesSpanned: spanned, lowerBound } = after.totals;
const ratio = spanned / lowerBound;
console.log(
  `apply ${applied.appliedNow.length} moves through the API: ${fmt(applyMs, 0)} ms (${fmt((applied.appliedNow.length / applyMs) * 1000, 0)} moves/s), plan ${applied.status}`,
);
console.log(
  `summed boxes spanned ${before.totals.boxesSpanned} → ${spanned}, summed lower bound ${lowerBound}: ratio ${fmt(ratio, 3)} (target ≤ ${SPAN_TARGET}) → ${ratio <= SPAN_TARGET ? "met" : "MISSED"}; gaps ${before.totals.gaps} → ${after.totals.gaps}, split runs ${before.totals.splitRuns} → ${after.totals.splitRuns}`,
);
