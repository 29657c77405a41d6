import { expect } from "bun:test";
import { sql } from "drizzle-orm";
import { locationsTable } from "../../src/modules/boxes/boxes.table";
import { type PartDto, PartSchema } from "../../src/modules/parts/parts.schemas";
import { ledgerTable } from "../../src/modules/stock/ledger.table";
import type { TestApp } from "./app";

/** Creates a box and answers its number. */
export async function newBox(t: TestApp, capacity = 10, extra: Record<string, unknown> = {}) {
  const res = await t.request<{ boxNo: number }>("POST", "/api/v1/boxes", { capacity, ...extra });
  expect(res.status).toBe(201);
  return res.body.boxNo;
}

/** Creates a part and answers it, checked against the Part schema. */
export async function newPart(t: TestApp, body: Record<string, unknown> = {}): Promise<PartDto> {
  const res = await t.request("POST", "/api/v1/parts", { description: "Test part", ...body });
  expect(res.status).toBe(201);
  return PartSchema.parse(res.body);
}

/** The part a slot holds (with its quantity), or null, read through the API. */
export async function slotOf(t: TestApp, boxNo: number, locNo: number) {
  const res = await t.request<{ part: { id: string; qty: number } | null }>(
    "GET",
    `/api/v1/locations/${boxNo}-${locNo}`,
  );
  return res.body.part;
}

export async function typeIdByName(t: TestApp, name: string) {
  const res = await t.request<{ items: { id: number; name: string }[] }>("GET", "/api/v1/types");
  return res.body.items.find((type) => type.name === name)!.id;
}

/**
 * The ledger invariant, read straight from the database: per part and slot, the deltas
 * add up to the quantity the slot holds (and to zero where it holds none of the part).
 */
export async function expectLedgerConsistent(t: TestApp) {
  const { db } = t.deps;
  const sums = await db
    .select({
      partId: ledgerTable.partId,
      boxNo: ledgerTable.boxNo,
      locNo: ledgerTable.locNo,
      qty: sql<number>`sum(${ledgerTable.deltaQty})::int`,
    })
    .from(ledgerTable)
    .groupBy(ledgerTable.partId, ledgerTable.boxNo, ledgerTable.locNo);
  const held = await db
    .select({
      partId: sql<string>`${locationsTable.partId}`,
      boxNo: locationsTable.boxNo,
      locNo: locationsTable.locNo,
      qty: locationsTable.qty,
    })
    .from(locationsTable)
    .where(sql`${locationsTable.partId} is not null`);
  const key = (row: { partId: string; boxNo: number; locNo: number; qty: number }) =>
    `${row.partId}@${row.boxNo}-${row.locNo}=${row.qty}`;
  const fromLedger = sums.filter((row) => row.qty !== 0).map(key);
  expect(fromLedger.sort()).toEqual(held.map(key).sort());
}

/** Each GET `prefix + suffix` answers 400 with the named field first in `errors`. */
export async function expectGetRejects(t: TestApp, prefix: string, cases: [string, string][]) {
  for (const [suffix, field] of cases) {
    const res = await t.request<{ errors?: { path: string }[] }>("GET", `${prefix}${suffix}`);
    expect(res.status, suffix).toBe(400);
    expect(res.body.errors?.[0]?.path, suffix).toBe(field);
  }
}

/**
 * Puts a part into a slot with a new quantity far above what requests may add (near the
 * integer limit), straight in the database, with the ledger row that keeps history
 * consistent. The slot must already hold `from` of the part.
 */
export async function setSlotQtyDirectly(
  t: TestApp,
  slot: { partId: string; boxNo: number; locNo: number; from: number; to: number },
) {
  const { db } = t.deps;
  await db.execute(
    sql`update locations set qty = ${slot.to} where box_no = ${slot.boxNo} and loc_no = ${slot.locNo}`,
  );
  await db.execute(
    sql`insert into stock_ledger (part_id, box_no, loc_no, delta_qty, reason)
        values (${slot.partId}, ${slot.boxNo}, ${slot.locNo}, ${slot.to - slot.from}, 'add')`,
  );
}
