import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { expireIdempotencyKeysTask, PURGE_EVERY } from "../src/lib/idempotency";
import { idempotencyKeysTable } from "../src/lib/idempotency.table";
import type { PartDto } from "../src/modules/parts/parts.schemas";
import { ledgerTable } from "../src/modules/stock/ledger.table";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { expectLedgerConsistent, newBox, newPart } from "./support/inventory";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

function stock(partId: string, op: string, body: unknown, key?: string) {
  const headers: Record<string, string> = key ? { "Idempotency-Key": key } : {};
  return t.request<PartDto & ProblemBody>(
    "POST",
    `/api/v1/parts/${partId}/stock/${op}`,
    body,
    headers,
  );
}

async function ledgerRows(partId: string) {
  const [row] = await t.deps.db
    .select({ n: count() })
    .from(ledgerTable)
    .where(eq(ledgerTable.partId, partId));
  return row!.n;
}

async function qtyOf(partId: string) {
  const res = await t.request<PartDto>("GET", `/api/v1/parts/${partId}`);
  return res.body.totalQty;
}

describe("Idempotency-Key", () => {
  test("a retry answers the first response and changes nothing", async () => {
    const box = await newBox(t, 3);
    const part = await newPart(t);
    const body = { boxNo: box, locNo: 1, qty: 4 };
    const first = await stock(part.id, "add", body, "add-1");
    expect(first.status).toBe(200);
    // Another change in between: the replay still answers the first response.
    await stock(part.id, "add", { boxNo: box, locNo: 2, qty: 1 });
    const retry = await stock(part.id.toLowerCase(), "add", body, "add-1");
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await qtyOf(part.id)).toBe(5);
    expect(await ledgerRows(part.id)).toBe(2);
    await expectLedgerConsistent(t);
  });

  test("remove and move replay too", async () => {
    const box = await newBox(t, 3);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 10 }] });
    const removal = { removals: [{ boxNo: box, locNo: 1, qty: 3 }] };
    const move = { from: { boxNo: box, locNo: 1 }, to: [{ boxNo: box, locNo: 2, qty: 2 }] };
    for (let i = 0; i < 3; i++) {
      expect((await stock(part.id, "remove", removal, "rm")).status).toBe(200);
      expect((await stock(part.id, "move", move, "mv")).status).toBe(200);
    }
    expect(await qtyOf(part.id)).toBe(7);
    expect(await ledgerRows(part.id)).toBe(4);
    await expectLedgerConsistent(t);
  });

  test("the same key with another body is 409 and changes nothing", async () => {
    const box = await newBox(t, 2);
    const part = await newPart(t);
    expect((await stock(part.id, "add", { boxNo: box, locNo: 1, qty: 1 }, "k")).status).toBe(200);
    const reused = await stock(part.id, "add", { boxNo: box, locNo: 1, qty: 2 }, "k");
    expect(reused.status).toBe(409);
    expect(reused.body.detail).toContain("different request body");
    expect(await qtyOf(part.id)).toBe(1);
  });

  test("keys are scoped to the operation and the part", async () => {
    const box = await newBox(t, 2);
    const [a, b] = [await newPart(t), await newPart(t)];
    expect((await stock(a.id, "add", { boxNo: box, locNo: 1, qty: 1 }, "shared")).status).toBe(200);
    expect((await stock(b.id, "add", { boxNo: box, locNo: 2, qty: 1 }, "shared")).status).toBe(200);
    const removal = { removals: [{ boxNo: box, locNo: 1, qty: 1 }] };
    expect((await stock(a.id, "remove", removal, "shared")).status).toBe(200);
    expect(await qtyOf(a.id)).toBe(0);
    expect(await qtyOf(b.id)).toBe(1);
  });

  test("concurrent requests with one key run the work once", async () => {
    const box = await newBox(t, 1);
    const part = await newPart(t);
    const body = { boxNo: box, locNo: 1, qty: 2 };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => stock(part.id, "add", body, "burst")),
    );
    expect(results.map((res) => res.status)).toEqual(Array(10).fill(200));
    for (const res of results) expect(res.body).toEqual(results[0]!.body);
    expect(await qtyOf(part.id)).toBe(2);
    expect(await ledgerRows(part.id)).toBe(1);
  });

  test("a retry whose work would now be refused still answers the first response", async () => {
    const box = await newBox(t, 1);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 2 }] });
    const removal = { removals: [{ boxNo: box, locNo: 1, qty: 2 }] };
    const first = await stock(part.id, "remove", removal, "last-units");
    expect(first.status).toBe(200);
    expect(first.body.totalQty).toBe(0);
    const retry = await stock(part.id, "remove", removal, "last-units");
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const reused = await stock(
      part.id,
      "remove",
      { removals: [{ ...removal.removals[0], qty: 1 }] },
      "last-units",
    );
    expect(reused.status).toBe(409);
    expect(reused.body.detail).toContain("different request body");
    expect(await ledgerRows(part.id)).toBe(2);
    await expectLedgerConsistent(t);
  });

  test("concurrent removals of the last units with one key: one change, every answer the same", async () => {
    const box = await newBox(t, 1);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 3 }] });
    const removal = { removals: [{ boxNo: box, locNo: 1, qty: 3 }] };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => stock(part.id, "remove", removal, "burst-remove")),
    );
    expect(results.map((res) => res.status)).toEqual(Array(10).fill(200));
    for (const res of results) expect(res.body).toEqual(results[0]!.body);
    expect(await qtyOf(part.id)).toBe(0);
    expect(await ledgerRows(part.id)).toBe(2);
    await expectLedgerConsistent(t);
  });

  test("concurrent requests with one key and two bodies: one body wins, the other is 409", async () => {
    const box = await newBox(t, 2);
    const part = await newPart(t);
    const bodies = [
      { boxNo: box, locNo: 1, qty: 1 },
      { boxNo: box, locNo: 2, qty: 5 },
    ];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stock(part.id, "add", bodies[i % 2], "two-bodies")),
    );
    const won = results.filter((res) => res.status === 200);
    expect(won.length).toBeGreaterThan(0);
    for (const res of won) expect(res.body).toEqual(won[0]!.body);
    const winner = won[0]!.body.totalQty;
    expect([1, 5]).toContain(winner);
    results.forEach((res, i) => {
      const mine = bodies[i % 2]!.qty === winner;
      expect(res.status).toBe(mine ? 200 : 409);
    });
    expect(await qtyOf(part.id)).toBe(winner);
    expect(await ledgerRows(part.id)).toBe(1);
    await expectLedgerConsistent(t);
  });

  test("a failed first attempt stores nothing, so the retry runs", async () => {
    const box = await newBox(t, 1);
    const part = await newPart(t);
    const removal = { removals: [{ boxNo: box, locNo: 1, qty: 1 }] };
    expect((await stock(part.id, "remove", removal, "later")).status).toBe(409);
    await stock(part.id, "add", { boxNo: box, locNo: 1, qty: 1 });
    expect((await stock(part.id, "remove", removal, "later")).status).toBe(200);
    expect(await qtyOf(part.id)).toBe(0);
  });

  test("keys expire after 24 hours and old ones are purged", async () => {
    const box = await newBox(t, 2);
    const part = await newPart(t);
    const body = { boxNo: box, locNo: 1, qty: 1 };
    await stock(part.id, "add", body, "old");
    await stock(part.id, "add", { boxNo: box, locNo: 2, qty: 1 }, "other-old");
    await t.deps.db
      .update(idempotencyKeysTable)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(sql`${idempotencyKeysTable.key} in ('old', 'other-old')`);
    expect((await stock(part.id, "add", body, "old")).status).toBe(200);
    expect(await qtyOf(part.id)).toBe(3);
    const left = () =>
      t.deps.db
        .select({ key: idempotencyKeysTable.key })
        .from(idempotencyKeysTable)
        .where(sql`${idempotencyKeysTable.key} in ('old', 'other-old')`);
    // Purging runs every PURGE_EVERY keyed requests of the process: within that many more.
    for (let i = 0; i < PURGE_EVERY && (await left()).length > 1; i++) {
      expect((await stock(part.id, "add", body, `filler-${i}`)).status).toBe(200);
    }
    expect((await left()).map((row) => row.key)).toEqual(["old"]);
  });

  test("the maintenance task removes every expired key and keeps live ones", async () => {
    const box = await newBox(t, 3);
    const part = await newPart(t);
    for (const [i, key] of ["expired-a", "expired-b", "live"].entries()) {
      await stock(part.id, "add", { boxNo: box, locNo: i + 1, qty: 1 }, key);
    }
    await t.deps.db
      .update(idempotencyKeysTable)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(sql`${idempotencyKeysTable.key} in ('expired-a', 'expired-b')`);
    await expireIdempotencyKeysTask.run(t.deps);
    const keys = await t.deps.db
      .select({ key: idempotencyKeysTable.key })
      .from(idempotencyKeysTable)
      .where(sql`${idempotencyKeysTable.key} in ('expired-a', 'expired-b', 'live')`);
    expect(keys.map((row) => row.key)).toEqual(["live"]);
  });

  test("a key stored with the part itself as its answer (before an upgrade) still replays", async () => {
    const box = await newBox(t, 1);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 2 }] });
    const stored = { ...part, totalQty: 123 };
    const body = { boxNo: box, locNo: 1, qty: 1 };
    const requestHash = createHash("sha256").update(JSON.stringify(body)).digest("hex");
    await t.deps.db.insert(idempotencyKeysTable).values({
      scope: `addStock:${part.id}`,
      key: "from-before",
      requestHash,
      status: 200,
      response: stored,
    });
    const replay = await stock(part.id, "add", body, "from-before");
    expect(replay.status).toBe(200);
    expect(replay.body as unknown).toEqual(stored);
    expect(await qtyOf(part.id)).toBe(2);
  });

  test("an overlong key is 400", async () => {
    const part = await newPart(t);
    const res = await stock(part.id, "add", { boxNo: 1, locNo: 1, qty: 1 }, "k".repeat(256));
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toBe("idempotency-key");
  });
});
