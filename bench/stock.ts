// bun run bench:stock — stock adds and removes of one unit (POST /api/v1/parts/{id}/stock/add
// and /remove) from 16 concurrent clients on PostgreSQL, through a listening API process,
// with and without Idempotency-Key; next to it, in the same run, the same changes done
// directly with postgres.js (16 connections, one transaction each: lock the part, update
// the slot, insert the ledger row). Also counts the statements the API sends per change.
import postgres from "postgres";
import {
  cpuMsOf,
  createMigratedDatabase,
  dropDatabase,
  fmt,
  startProcess,
  statementCountingApp,
} from "./support";

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CLIENTS = 16;
const BOXES = 40;
const SLOTS_PER_BOX = 100;
const PARTS = 3000;
const STARTING_QTY = 1000;
const TARGET_PER_S = 1500;
const { name, url } = await createMigratedDatabase("stock");

// Part n (1..PARTS) has the id spelling n in base 26 and sits in one slot of the boxes in
// turn, 75 of every box's 100 slots filled; each change takes or puts one unit.
const sql = postgres(url, { max: 1, onnotice: () => {} });
await sql`
  insert into boxes (box_no, description, capacity)
  select b, 'Bench box ' || b, ${SLOTS_PER_BOX} from generate_series(1, ${BOXES}) b`;
await sql`
  insert into locations (box_no, loc_no)
  select b, s from generate_series(1, ${BOXES}) b, generate_series(1, ${SLOTS_PER_BOX}) s`;
await sql`
  insert into parts (id, description, manufacturer_code, type_id)
  select chr(65 + n / 17576 % 26) || chr(65 + n / 676 % 26) || chr(65 + n / 26 % 26)
           || chr(65 + n % 26),
         'Bench part ' || n, 'MC-' || n, 1
  from generate_series(1, ${PARTS}) n`;
await sql`
  with numbered as (select id, row_number() over (order by id) - 1 as i from parts)
  update locations l set part_id = p.id, qty = ${STARTING_QTY}
  from numbered p
  where l.box_no = 1 + p.i % ${BOXES} and l.loc_no = 1 + p.i / ${BOXES}`;
await sql`
  insert into stock_ledger (part_id, box_no, loc_no, delta_qty, reason)
  select part_id, box_no, loc_no, qty, 'add' from locations where part_id is not null`;
const stocked = await sql<{ partId: string; boxNo: number; locNo: number }[]>`
  select part_id as "partId", box_no as "boxNo", loc_no as "locNo"
  from locations where part_id is not null`;
await sql.end();

interface Change {
  partId: string;
  boxNo: number;
  locNo: number;
  op: "add" | "remove";
}

function randomChange(): Change {
  const slot = stocked[Math.floor(Math.random() * stocked.length)]!;
  return { ...slot, op: Math.random() < 0.5 ? "add" : "remove" };
}

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

/** CLIENTS loops doing changes back to back for `seconds`; latencies in ms. */
async function drive(seconds: number, change: (c: Change) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await change(randomChange());
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= String(error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, firstError };
}

/** Warms up, then drives; with `serverPid`, also the server's CPU ms per change. */
async function measure(change: (c: Change) => Promise<void>, serverPid?: number) {
  await drive(2, change);
  const cpuBefore = serverPid === undefined ? 0 : cpuMsOf(serverPid);
  const result = await drive(DURATION_S, change);
  const cpuMs = serverPid === undefined ? 0 : cpuMsOf(serverPid) - cpuBefore;
  return { ...result, serverCpuMs: cpuMs / (result.perSecond * DURATION_S) };
}

/** The request of one change, optionally under a fresh Idempotency-Key. */
function changeRequest({ partId, boxNo, locNo, op }: Change, withKey: boolean) {
  const body = op === "add" ? { boxNo, locNo, qty: 1 } : { removals: [{ boxNo, locNo, qty: 1 }] };
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (withKey) headers["Idempotency-Key"] = crypto.randomUUID();
  const path = `/api/v1/parts/${partId}/stock/${op}`;
  return { path, init: { method: "POST", headers, body: JSON.stringify(body) } };
}

async function expectOk(res: Response, path: string) {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
}

function apiChange(baseUrl: string, withKey: boolean) {
  return async (change: Change) => {
    const { path, init } = changeRequest(change, withKey);
    await expectOk(await fetch(baseUrl + path, init), path);
  };
}

/**
 * Statements the API sends per change, counted in-process with the same code; with a key,
 * also per retry of it (the same request again: answered from the key, changing nothing).
 */
async function statementsPerChange(withKey: boolean) {
  const counting = await statementCountingApp(url);
  const rounds = 50;
  let total = 0;
  let retries = 0;
  for (let i = 0; i < rounds; i++) {
    for (const op of ["add", "remove"] as const) {
      const { path, init } = changeRequest({ ...randomChange(), op }, withKey);
      total += await counting.statementsOf(path, init);
      if (withKey) retries += await counting.statementsOf(path, init);
    }
  }
  await counting.close();
  return { change: total / (rounds * 2), retry: retries / (rounds * 2) };
}

const statementsNoKey = await statementsPerChange(false);
const statementsWithKey = await statementsPerChange(true);

const poolSize = process.env.DATABASE_POOL_SIZE ?? "10";
const api = await startProcess(["bun", "src/main.ts"], {
  DATABASE_URL: url,
  LOG_LEVEL: "info",
  DATABASE_POOL_SIZE: poolSize,
});
const apiResult = await measure(apiChange(api.url, false), api.process.pid);
const apiKeyResult = await measure(apiChange(api.url, true), api.process.pid);
await api.stop();

const raw = postgres(url, { max: CLIENTS, onnotice: () => {} });
const rawResult = await measure(({ partId, boxNo, locNo, op }) =>
  raw.begin(async (tx) => {
    await tx`select id from parts where id = ${partId} for key share`;
    const delta = op === "add" ? 1 : -1;
    const [slot] = await tx`
      update locations set qty = qty + ${delta}
      where box_no = ${boxNo} and loc_no = ${locNo} and part_id = ${partId} and qty + ${delta} > 0
      returning qty`;
    if (!slot) throw new Error(`${op} ${partId}: slot refused`);
    await tx`
      insert into stock_ledger (part_id, box_no, loc_no, delta_qty, reason)
      values (${partId}, ${boxNo}, ${locNo}, ${delta}, ${op})`;
  }),
);
await raw.end();

const check = postgres(url, { max: 1, onnotice: () => {} });
const [consistency] = await check<{ mismatched: number }[]>`
  select count(*)::int as mismatched from locations l
  full join (select part_id, box_no, loc_no, sum(delta_qty) as total from stock_ledger
             group by part_id, box_no, loc_no) g
    on g.part_id = l.part_id and g.box_no = l.box_no and g.loc_no = l.loc_no
  where coalesce(l.qty, 0) <> coalesce(g.total, 0) and (l.part_id is not null or g.total <> 0)`;
await check.end();
await dropDatabase(name);

console.log(
  `\nPOST /api/v1/parts/{id}/stock/add|remove (1 unit) — ${PARTS} parts in ${BOXES} boxes, ${CLIENTS} clients, ${DURATION_S} s, PostgreSQL, DATABASE_POOL_SIZE=${poolSize}`,
);
console.log(
  "                              changes/s   p50 ms   p99 ms   errors   server CPU ms/change",
);
for (const [label, r] of [
  ["API, no Idempotency-Key", apiResult],
  ["API, with Idempotency-Key", apiKeyResult],
  ["raw postgres.js transaction", rawResult],
] as const) {
  console.log(
    `${label.padEnd(29)} ${fmt(r.perSecond, 0).padStart(9)}  ${fmt(r.p50).padStart(7)}  ${fmt(r.p99).padStart(7)}  ${String(r.errors).padStart(7)}   ${r.serverCpuMs ? fmt(r.serverCpuMs, 2) : "-"}`,
  );
  if (r.firstError) console.log(`  first error: ${r.firstError.slice(0, 300)}`);
}
const ratio = apiResult.perSecond / rawResult.perSecond;
const ratioKey = apiKeyResult.perSecond / rawResult.perSecond;
console.log(`ratio API / raw: ${fmt(ratio, 2)}; with Idempotency-Key: ${fmt(ratioKey, 2)}`);
console.log(
  `API changes/s: ${fmt(apiResult.perSecond, 0)} (target ≥ ${TARGET_PER_S}) ${apiResult.perSecond >= TARGET_PER_S ? "OK" : "BELOW TARGET"}`,
);
console.log(
  `statements per change (BEGIN/COMMIT included): ${fmt(statementsNoKey.change, 2)} without key, ${fmt(statementsWithKey.change, 2)} with key (${fmt(statementsWithKey.retry, 2)} per retry answered from the key); raw: 5`,
);
console.log(
  `ledger matches slot quantities: ${consistency?.mismatched === 0 ? "yes" : `NO (${consistency?.mismatched} slots differ)`}`,
);
