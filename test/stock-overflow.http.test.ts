import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { expectLedgerConsistent, newBox, newPart, setSlotQtyDirectly } from "./support/inventory";

// A slot counts at most 2147483647 (PostgreSQL integer): an add past that is refused by
// the stock statement itself, as a 409 naming the location, and changes nothing.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t.close());

describe("a slot near the integer limit", () => {
  test("an add past the limit is a 409 naming the location", async () => {
    const box = await newBox(t, 2);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 1 }] });
    const nearMax = 2_147_483_000;
    await setSlotQtyDirectly(t, { partId: part.id, boxNo: box, locNo: 1, from: 1, to: nearMax });
    await expectLedgerConsistent(t);
    const res = await t.request<ProblemBody>("POST", `/api/v1/parts/${part.id}/stock/add`, {
      boxNo: box,
      locNo: 1,
      qty: 1_000_000,
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("stock.slot_full");
    expect(res.body.detail).toContain(`${box}-1`);
    await expectLedgerConsistent(t);
  });
});
