import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type PartDto, PartSchema } from "../src/modules/parts/parts.schemas";
import { HistoryListSchema } from "../src/modules/stock/stock.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import {
  expectLedgerConsistent,
  newBox,
  newPart,
  slotOf as slotAt,
  typeIdByName,
} from "./support/inventory";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

function stock(partId: string, op: "add" | "remove" | "move", body: unknown) {
  return t.request<PartDto & ProblemBody>("POST", `/api/v1/parts/${partId}/stock/${op}`, body);
}

const slotOf = (boxNo: number, locNo: number) => slotAt(t, boxNo, locNo);

describe("add", () => {
  test("fills a free slot, tops up the same part, and answers the part", async () => {
    const box = await newBox(t, 4);
    const part = await newPart(t, {
      typeId: await typeIdByName(t, "Sensor"),
      manufacturer: "Bosch",
      manufacturerCode: "BME280",
      tags: ["i2c", "weather"],
      package: "LGA-8",
      pinCount: 8,
      seller: "LCSC",
      sellerLink: "https://www.lcsc.com/product/C92489",
    });
    const first = await stock(part.id.toLowerCase(), "add", { boxNo: box, locNo: 2, qty: 5 });
    expect(first.status).toBe(200);
    expect(PartSchema.parse(first.body)).toMatchObject({
      id: part.id,
      totalQty: 5,
      locations: [{ boxNo: box, locNo: 2, code: `${box}-2`, qty: 5 }],
    });
    const again = await stock(part.id, "add", { boxNo: box, locNo: 2, qty: 3 });
    expect(again.body.totalQty).toBe(8);
    // The answer is built in the changing statement: it must equal the part as read.
    const read = await t.request("GET", `/api/v1/parts/${part.id}`);
    expect(PartSchema.parse(again.body)).toEqual(PartSchema.parse(read.body));
    expect(await slotOf(box, 2)).toMatchObject({ id: part.id, qty: 8 });
    await expectLedgerConsistent(t);
  });

  test("refuses bad quantities, unknown slots and parts, and occupied slots", async () => {
    const box = await newBox(t, 2);
    const part = await newPart(t);
    const other = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 1 }] });
    for (const qty of [0, -1, 1.5, "2"]) {
      const res = await stock(part.id, "add", { boxNo: box, locNo: 2, qty });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe("qty");
    }
    expect((await stock(part.id, "add", { boxNo: box, qty: 1 })).body.errors?.[0]?.path).toBe(
      "locNo",
    );
    expect((await stock(part.id, "add", { boxNo: box, locNo: 3, qty: 1 })).status).toBe(404);
    expect((await stock(part.id, "add", { boxNo: 999_999, locNo: 1, qty: 1 })).status).toBe(404);
    expect((await stock("QQQQ", "add", { boxNo: box, locNo: 2, qty: 1 })).status).toBe(404);
    expect((await stock("Q1QQ", "add", { boxNo: box, locNo: 2, qty: 1 })).status).toBe(400);
    const taken = await stock(part.id, "add", { boxNo: box, locNo: 1, qty: 1 });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toContain(other.id);
    expect(await slotOf(box, 1)).toMatchObject({ id: other.id, qty: 1 });
    await expectLedgerConsistent(t);
  });
});

describe("remove", () => {
  test("takes from several slots at once, merges repeats and frees emptied slots", async () => {
    const box = await newBox(t, 3);
    const part = await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 1, qty: 10 },
        { boxNo: box, locNo: 2, qty: 4 },
      ],
    });
    const res = await stock(part.id, "remove", {
      removals: [
        { boxNo: box, locNo: 1, qty: 3 },
        { boxNo: box, locNo: 2, qty: 4 },
        { boxNo: box, locNo: 1, qty: 2 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.totalQty).toBe(5);
    expect(res.body.locations).toEqual([{ boxNo: box, locNo: 1, code: `${box}-1`, qty: 5 }]);
    expect(await slotOf(box, 2)).toBeNull();
    const kept = await t.request("GET", `/api/v1/parts/${part.id}`);
    expect(kept.status).toBe(200);
    expect(PartSchema.parse(res.body)).toEqual(PartSchema.parse(kept.body));
    await expectLedgerConsistent(t);
  });

  test("removing more than a slot holds is 409 and changes nothing", async () => {
    const box = await newBox(t, 3);
    const part = await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 1, qty: 10 },
        { boxNo: box, locNo: 2, qty: 4 },
      ],
    });
    const res = await stock(part.id, "remove", {
      removals: [
        { boxNo: box, locNo: 1, qty: 3 },
        { boxNo: box, locNo: 2, qty: 3 },
        { boxNo: box, locNo: 2, qty: 2 },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain(`${box}-2`);
    const empty = await stock(part.id, "remove", { removals: [{ boxNo: box, locNo: 3, qty: 1 }] });
    expect(empty.status).toBe(409);
    const after = PartSchema.parse((await t.request("GET", `/api/v1/parts/${part.id}`)).body);
    expect(after.locations.map((slot) => slot.qty)).toEqual([10, 4]);
    await expectLedgerConsistent(t);
  });

  test("bad input and unknown slots", async () => {
    const part = await newPart(t);
    const none = await stock(part.id, "remove", { removals: [] });
    expect(none.status).toBe(400);
    expect(none.body.errors?.[0]?.path).toBe("removals");
    const zero = await stock(part.id, "remove", { removals: [{ boxNo: 1, locNo: 1, qty: 0 }] });
    expect(zero.body.errors?.[0]?.path).toBe("removals.0.qty");
    expect(
      (await stock(part.id, "remove", { removals: [{ boxNo: 999_999, locNo: 1, qty: 1 }] })).status,
    ).toBe(404);
  });
});

describe("move", () => {
  test("moves and splits in one step with one refId", async () => {
    const box = await newBox(t, 5);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 20 }] });
    const res = await stock(part.id, "move", {
      from: { boxNo: box, locNo: 1 },
      to: [
        { boxNo: box, locNo: 3, qty: 5 },
        { boxNo: box, locNo: 4, qty: 6 },
        { boxNo: box, locNo: 3, qty: 1 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.locations.map((slot) => [slot.locNo, slot.qty])).toEqual([
      [1, 8],
      [3, 6],
      [4, 6],
    ]);
    const all = await stock(part.id, "move", {
      from: { boxNo: box, locNo: 1 },
      to: [{ boxNo: box, locNo: 5, qty: 8 }],
    });
    expect(all.body.locations.map((slot) => slot.locNo)).toEqual([3, 4, 5]);
    expect(await slotOf(box, 1)).toBeNull();

    const history = HistoryListSchema.parse(
      (await t.request("GET", `/api/v1/parts/${part.id}/history`)).body,
    );
    const moves = history.items.filter((row) => row.reason === "move");
    expect(moves).toHaveLength(5);
    expect(new Set(moves.map((row) => row.refId)).size).toBe(2);
    expect(moves.reduce((sum, row) => sum + row.deltaQty, 0)).toBe(0);
    await expectLedgerConsistent(t);
  });

  test("refuses the same slot (400), unknown slots (404), other parts and short stock (409)", async () => {
    const box = await newBox(t, 4);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 5 }] });
    const other = await newPart(t, { initialStock: [{ boxNo: box, locNo: 2, qty: 1 }] });
    const from = { boxNo: box, locNo: 1 };
    const same = await stock(part.id, "move", {
      from,
      to: [
        { boxNo: box, locNo: 3, qty: 1 },
        { boxNo: box, locNo: 1, qty: 1 },
      ],
    });
    expect(same.status).toBe(400);
    expect(same.body.errors?.[0]?.path).toBe("to.1");
    expect((await stock(part.id, "move", { from, to: [] })).status).toBe(400);
    const unknown = await stock(part.id, "move", { from, to: [{ boxNo: box, locNo: 9, qty: 1 }] });
    expect(unknown.status).toBe(404);
    const occupied = await stock(part.id, "move", {
      from,
      to: [
        { boxNo: box, locNo: 3, qty: 1 },
        { boxNo: box, locNo: 2, qty: 1 },
      ],
    });
    expect(occupied.status).toBe(409);
    expect(occupied.body.detail).toContain(other.id);
    const short = await stock(part.id, "move", { from, to: [{ boxNo: box, locNo: 3, qty: 6 }] });
    expect(short.status).toBe(409);
    expect(await slotOf(box, 3)).toBeNull();
    expect(await slotOf(box, 1)).toMatchObject({ qty: 5 });
    await expectLedgerConsistent(t);
  });
});

describe("history", () => {
  test("pages newest first", async () => {
    const box = await newBox(t, 2);
    const part = await newPart(t);
    for (let qty = 1; qty <= 5; qty++) await stock(part.id, "add", { boxNo: box, locNo: 1, qty });
    await stock(part.id, "remove", { removals: [{ boxNo: box, locNo: 1, qty: 15 }] });
    const seen: number[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const suffix: string = cursor ? `&cursor=${cursor}` : "";
      const res = await t.request("GET", `/api/v1/parts/${part.id}/history?limit=4${suffix}`);
      expect(res.status).toBe(200);
      const page = HistoryListSchema.parse(res.body);
      seen.push(...page.items.map((row) => row.deltaQty));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([-15, 5, 4, 3, 2, 1]);
    await expectLedgerConsistent(t);
  });

  test("unknown parts 404, bad paging 400", async () => {
    expect((await t.request("GET", "/api/v1/parts/QQQQ/history")).status).toBe(404);
    const part = await newPart(t);
    const bad = await t.request<ProblemBody>("GET", `/api/v1/parts/${part.id}/history?cursor=x`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("cursor");
  });
});

describe("concurrency", () => {
  test("50 concurrent removals of 1 from a slot of 20: 20 succeed, 30 are 409", async () => {
    const box = await newBox(t, 1);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 20 }] });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        stock(part.id, "remove", { removals: [{ boxNo: box, locNo: 1, qty: 1 }] }),
      ),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.filter((status) => status === 409)).toHaveLength(30);
    expect(await slotOf(box, 1)).toBeNull();
    const after = PartSchema.parse((await t.request("GET", `/api/v1/parts/${part.id}`)).body);
    expect(after.totalQty).toBe(0);
    await expectLedgerConsistent(t);
  });

  test("two parts added to the same free slot at once: one wins", async () => {
    const box = await newBox(t, 1);
    const [a, b] = await Promise.all([newPart(t), newPart(t)]);
    const results = await Promise.all(
      [a!, b!].map((part) => stock(part.id, "add", { boxNo: box, locNo: 1, qty: 3 })),
    );
    expect(results.map((res) => res.status).sort()).toEqual([200, 409]);
    const winner = results.find((res) => res.status === 200)!.body.id;
    expect(await slotOf(box, 1)).toEqual(expect.objectContaining({ id: winner, qty: 3 }));
    await expectLedgerConsistent(t);
  });

  test("opposite moves between two slots do not deadlock", async () => {
    const box = await newBox(t, 2);
    const part = await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 1, qty: 50 },
        { boxNo: box, locNo: 2, qty: 50 },
      ],
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stock(part.id, "move", {
          from: { boxNo: box, locNo: 1 + (i % 2) },
          to: [{ boxNo: box, locNo: 2 - (i % 2), qty: 1 }],
        }),
      ),
    );
    expect(results.every((res) => res.status === 200)).toBe(true);
    const after = PartSchema.parse((await t.request("GET", `/api/v1/parts/${part.id}`)).body);
    expect(after.locations.map((slot) => slot.qty)).toEqual([50, 50]);
    await expectLedgerConsistent(t);
  });

  test("a delete racing a stock add never leaves stock of a deleted part", async () => {
    const box = await newBox(t, 1);
    const part = await newPart(t);
    const [added, deleted] = await Promise.all([
      stock(part.id, "add", { boxNo: box, locNo: 1, qty: 1 }),
      t.request("DELETE", `/api/v1/parts/${part.id}`),
    ]);
    expect([added.status, deleted.status].sort()).toEqual(
      added.status === 200 ? [200, 409] : [204, 404],
    );
    await expectLedgerConsistent(t);
  });
});
