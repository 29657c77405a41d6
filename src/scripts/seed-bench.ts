// `bun run seed:bench --parts 100000`: fills an empty database (DATABASE_URL, or the
// embedded one in DATA_DIR) with a large inventory in bulk SQL, for benchmarks: parts of
// varied realistic text, about two stocked slots per part in 500-slot boxes, and a ledger
// whose deltas add up to every slot's quantity.
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows, withTx } from "../platform/db";
import { extraWords, families, packages, sellers, valuesOf } from "./catalogue";
import { argValue, assertEmptyInventory, runSeed } from "./seed-support";

export const BENCH_BOX_CAPACITY = 500;
/** Slots filled per box; the rest stay free for suggestions and moves. */
const FILLED_PER_BOX = 450;
/** Distinct 4-letter ids: 26^4. */
const ID_SPACE = 456_976;

const textArray = (items: string[]): SQL =>
  sql`array[${sql.join(
    items.map((item) => sql`${item}`),
    sql`, `,
  )}]::text[]`;

/** A non-negative pseudo-random integer per row, different for each `salt`. */
const hash = (column: string, salt: number) =>
  sql.raw(`(hashint4((${column}) * 7 + ${salt}) & 2147483647)`);

export interface BenchSeedResult {
  parts: number;
  boxes: number;
  stockedSlots: number;
  ledgerRows: number;
}

/** Bulk-inserts `parts` parts with stock and ledger into an empty database, in one transaction. */
export async function seedBench(db: Db, options: { parts: number }): Promise<BenchSeedResult> {
  const count = options.parts;
  if (!Number.isInteger(count) || count < 1 || count > ID_SPACE / 2) {
    throw new RangeError(`parts must be an integer from 1 to ${ID_SPACE / 2}`);
  }
  return withTx(db, async (tx) => {
    await assertEmptyInventory(tx);
    // Building the GIN indexes once after the load is several times faster than
    // maintaining them row by row; their definitions come from the catalog, not a copy.
    const ginIndexes = await queryRows<{ name: string; definition: string }>(
      tx,
      sql`select indexname as name, indexdef as definition from pg_indexes
        where schemaname = current_schema() and tablename = 'parts' and indexdef like '% USING gin %'`,
    );
    for (const index of ginIndexes) await tx.execute(sql`drop index ${sql.identifier(index.name)}`);
    await tx.execute(sql`create temp table seed_family (
      fno int, type_id int, code text, description text, manufacturer text, vals text[]
    ) on commit drop`);
    for (const [fno, f] of families.entries()) {
      await tx.execute(sql`insert into seed_family
        select ${fno}, (select id from types where name = ${f.type}), ${f.code}, ${f.description},
          ${f.manufacturer}, ${textArray(valuesOf(f.values))}`);
    }
    // n → id through a multiplier coprime to 26^4: distinct, scattered ids.
    await tx.execute(sql`create temp table seed_part on commit drop as
      select n, k, chr(65 + k / 17576 % 26) || chr(65 + k / 676 % 26) || chr(65 + k / 26 % 26)
        || chr(65 + k % 26) as id
      from (select n, (n::bigint * 7919 % ${ID_SPACE})::int as k
            from generate_series(1, ${count}) n) numbered`);
    await tx.execute(sql`
      insert into parts (id, manufacturer_code, manufacturer, type_id, description, tags, package,
        seller, seller_link, created_at, updated_at)
      select p.id,
        f.code || case when ${hash("p.n", 3)} % 50 = 0 then ''
          else '-' || upper(replace(v.value, ' ', '')) || chr(65 + ${hash("p.n", 4)} % 26) end,
        f.manufacturer, f.type_id,
        f.description || ' ' || v.value || ' ' || v.pkg
          || case when ${hash("p.n", 5)} % 3 = 0 then ' ' || v.extra else '' end,
        case when ${hash("p.n", 6)} % 2 = 0 then array[v.pkg, v.value, v.extra]
          else array[v.pkg, v.value] end,
        v.pkg, s.name, s.link || p.k, t.at, t.at
      from seed_part p
      join seed_family f on f.fno = ${hash("p.n", 1)} % ${families.length}
      cross join lateral (select
        f.vals[1 + ${hash("p.n", 2)} % array_length(f.vals, 1)] as value,
        (${textArray(packages)})[1 + ${hash("p.n", 7)} % ${packages.length}] as pkg,
        (${textArray(extraWords)})[1 + ${hash("p.n", 8)} % ${extraWords.length}] as extra
      ) v
      join (select ordinality - 1 as sno, name, link
            from unnest(${textArray(sellers.map((s) => s.name))}, ${textArray(sellers.map((s) => s.link))})
              with ordinality as x(name, link)) s on s.sno = ${hash("p.n", 9)} % ${sellers.length}
      cross join lateral (select now() - (${count} - p.n) * interval '1 second' as at) t`);
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    for (const index of ginIndexes) await tx.execute(sql.raw(index.definition));
    // 0–4 slots per part (2 on average), filled box by box in part order.
    await tx.execute(sql`create temp table seed_slot on commit drop as
      select part_id, qty, extra, at,
        (s / ${FILLED_PER_BOX})::int + 1 as box_no, (s % ${FILLED_PER_BOX})::int + 1 as loc_no
      from (select p.id as part_id, 1 + ${hash("p.n * 5 + g.j", 10)} % 200 as qty,
              case when ${hash("p.n * 5 + g.j", 11)} % 3 = 0
                then 1 + ${hash("p.n * 5 + g.j", 12)} % 20 else 0 end as extra,
              now() - (${count} - p.n) * interval '1 second' as at,
              row_number() over (order by p.n, g.j) - 1 as s
            from seed_part p
            cross join lateral generate_series(1, ${hash("p.n", 13)} % 5) g(j)) numbered`);
    await tx.execute(sql`
      insert into boxes (box_no, description, capacity)
      select b, 'Drawer cabinet ' || b, ${BENCH_BOX_CAPACITY}
      from generate_series(1, (select coalesce(max(box_no), 1) from seed_slot)) b`);
    await tx.execute(sql`
      insert into locations (box_no, loc_no, part_id, qty)
      select b.box_no, l, s.part_id, coalesce(s.qty, 0)
      from boxes b cross join generate_series(1, ${BENCH_BOX_CAPACITY}) l
      left join seed_slot s on s.box_no = b.box_no and s.loc_no = l`);
    // Every slot got its stock in one add; a third took in more and gave the extra out again.
    await tx.execute(sql`
      insert into stock_ledger (part_id, box_no, loc_no, delta_qty, reason, at)
      select part_id, box_no, loc_no, qty + extra, 'add', at from seed_slot
      order by at, box_no, loc_no`);
    await tx.execute(sql`
      insert into stock_ledger (part_id, box_no, loc_no, delta_qty, reason, at)
      select part_id, box_no, loc_no, -extra, 'remove', at + interval '1 day' from seed_slot
      where extra > 0 order by at, box_no, loc_no`);
    const [totals] = await queryRows<BenchSeedResult>(
      tx,
      sql`select
        (select count(*) from parts)::int as parts, (select count(*) from boxes)::int as boxes,
        (select count(*) from locations where part_id is not null)::int as "stockedSlots",
        (select count(*) from stock_ledger)::int as "ledgerRows"`,
    );
    return totals!;
  });
}

if (import.meta.main) {
  const parts = Number(argValue("--parts") ?? 100_000);
  await runSeed(async (deps) => {
    const started = performance.now();
    const result = await seedBench(deps.db, { parts });
    await deps.db.execute(sql`analyze`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return `seeded ${result.parts} parts, ${result.boxes} boxes, ${result.stockedSlots} stocked slots, ${result.ledgerRows} ledger rows in ${seconds} s`;
  });
}
