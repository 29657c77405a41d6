import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { SearchResultSchema } from "../src/modules/search/search.schemas";
import { queryRows } from "../src/platform/db";
import { seedBench } from "../src/scripts/seed-bench";
import { seedDemo } from "../src/scripts/seed-demo";
import { NotEmptyError } from "../src/scripts/seed-support";
import { createTestApp, type TestApp } from "./support/app";
import { expectLedgerConsistent } from "./support/inventory";

async function counts(t: TestApp) {
  const [row] = await queryRows<{ parts: number; boxes: number; stocked: number; types: number }>(
    t.deps.db,
    sql`select (select count(*) from parts)::int as parts, (select count(*) from boxes)::int as boxes,
      (select count(*) from locations where part_id is not null)::int as stocked,
      (select count(distinct type_id) from parts)::int as types`,
  );
  return row!;
}

async function search(t: TestApp, q: string) {
  const res = await t.request("GET", `/api/v1/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return SearchResultSchema.parse(res.body).items;
}

describe("seed:demo", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 120_000);
  afterAll(() => t.close());

  test("fills an empty database with a consistent, searchable inventory", async () => {
    const result = await seedDemo(t.deps);
    const after = await counts(t);
    expect(after.parts).toBe(result.parts);
    expect(after.parts).toBeGreaterThanOrEqual(200);
    expect(after.boxes).toBe(result.boxes);
    expect(after.boxes).toBeGreaterThanOrEqual(15);
    expect(after.boxes).toBeLessThanOrEqual(25);
    expect(after.stocked).toBeGreaterThan(after.parts * 0.8);
    expect(after.types).toBe(11);
    await expectLedgerConsistent(t);

    const [relay] = await search(t, "g5q");
    expect(relay).toMatchObject({ manufacturer: "OMRON", manufacturerCode: "G5Q-1A4" });
    const [timer] = await search(t, "ne555");
    expect(timer?.manufacturerCode).toBe("NE555");
    expect((await search(t, "resistr")).length).toBeGreaterThan(0);
    expect((await search(t, "atmega328p"))[0]?.totalQty).toBeGreaterThanOrEqual(0);
  }, 120_000);

  test("refuses a database that is not empty", async () => {
    expect(seedDemo(t.deps)).rejects.toThrow(NotEmptyError);
  });
});

describe("seedBench", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 120_000);
  afterAll(() => t.close());

  test("bulk-fills parts, about two stocked slots each, with a consistent ledger", async () => {
    const result = await seedBench(t.deps.db, { parts: 1000 });
    const after = await counts(t);
    expect(result.parts).toBe(1000);
    expect(after).toMatchObject({ parts: 1000, boxes: result.boxes, stocked: result.stockedSlots });
    expect(result.stockedSlots).toBeGreaterThan(1700);
    expect(result.stockedSlots).toBeLessThan(2300);
    expect(result.ledgerRows).toBeGreaterThan(result.stockedSlots);
    await expectLedgerConsistent(t);

    const hits = await search(t, "resistr");
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.typeName === "Resistor")).toBe(true);
    const [first] = await search(t, "g5q");
    expect(first?.manufacturerCode).toStartWith("G5Q-1A4");
  }, 120_000);

  test("refuses a database that is not empty", async () => {
    expect(seedBench(t.deps.db, { parts: 10 })).rejects.toThrow(NotEmptyError);
  });
});
