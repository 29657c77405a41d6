import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { expectLedgerConsistent, newBox, newPart, setSlotQtyDirectly } from "./support/inventory";

// A slot counts at most 2147483647 (PostgreSQL integer). An add past that is refused
// today only by the database, which `app.onError` turns into a generic 409
// (`db.number_out_of_range`) that does not name the location, as API.md asks of a 409.
// Marked `failing` until the stock feature checks the bound itself (see the note below);
// then this test fails as "passed unexpectedly" and `.failing` comes off.
//
// Fix (src/modules/stock/stock.repo.ts, owned by the stock work): in the "in" statement,
// allow the update only when `qty <= 2147483647 - $qty`, and in `explainRefusal`, when
// the slot already holds the same part, answer a 409 `stock.slot_full` such as
// "Location 7-3 holds 2147483000 of ABCD; adding 1000000 would pass 2147483647."

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t.close());

describe("a slot near the integer limit", () => {
  test.failing("an add past the limit is a 409 naming the location", async () => {
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
    expect(res.body.detail).toContain(`${box}-1`);
  });
});
