import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BoxDetailSchema, BoxListSchema, LocationSchema } from "../src/modules/boxes/boxes.schemas";
import { TypeListSchema, TypeSchema } from "../src/modules/types/types.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { expectLedgerConsistent, newBox, newPart } from "./support/inventory";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

async function getBox(boxNo: number) {
  const res = await t.request("GET", `/api/v1/boxes/${boxNo}`);
  expect(res.status).toBe(200);
  return BoxDetailSchema.parse(res.body);
}

function removeAll(partId: string, boxNo: number, locNo: number, qty: number) {
  return t.request("POST", `/api/v1/parts/${partId}/stock/remove`, {
    removals: [{ boxNo, locNo, qty }],
  });
}

describe("occupancy", () => {
  test("box usage counters follow stock", async () => {
    const box = await newBox(t, 8);
    const a = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 5 }] });
    await newPart(t, { initialStock: [{ boxNo: box, locNo: 8, qty: 1 }] });
    expect(await getBox(box)).toMatchObject({ occupied: 2, free: 6, usagePercent: 25 });
    const listed = BoxListSchema.parse((await t.request("GET", "/api/v1/boxes")).body);
    expect(listed.items.find((item) => item.boxNo === box)).toMatchObject({
      occupied: 2,
      free: 6,
      usagePercent: 25,
    });
    await t.request("POST", `/api/v1/parts/${a.id}/stock/add`, { boxNo: box, locNo: 3, qty: 1 });
    expect(await getBox(box)).toMatchObject({ occupied: 3, usagePercent: 37.5 });
    await removeAll(a.id, box, 1, 5);
    expect(await getBox(box)).toMatchObject({ occupied: 2, free: 6 });
  });

  test("each slot shows the part it holds, in the box and by its code", async () => {
    const box = await newBox(t, 3);
    const part = await newPart(t, {
      description: "NPN transistor",
      manufacturerCode: "BC547",
      initialStock: [{ boxNo: box, locNo: 2, qty: 40 }],
    });
    const slots = (await getBox(box)).locations;
    expect(slots.map((slot) => slot.part)).toEqual([
      null,
      { id: part.id, description: "NPN transistor", manufacturerCode: "BC547", qty: 40 },
      null,
    ]);
    const res = await t.request("GET", `/api/v1/locations/${box}-2`);
    expect(LocationSchema.parse(res.body)).toEqual({
      boxNo: box,
      locNo: 2,
      code: `${box}-2`,
      part: { id: part.id, description: "NPN transistor", manufacturerCode: "BC547", qty: 40 },
    });
  });

  test("shrinking a box over stock is 409 naming the slots", async () => {
    const box = await newBox(t, 6);
    await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 2, qty: 1 },
        { boxNo: box, locNo: 4, qty: 1 },
        { boxNo: box, locNo: 5, qty: 1 },
      ],
    });
    const refused = await t.request<ProblemBody>("PATCH", `/api/v1/boxes/${box}`, { capacity: 3 });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`${box}-4, ${box}-5`);
    expect(refused.body.detail).not.toContain(`${box}-2`);
    expect((await getBox(box)).capacity).toBe(6);
    const shrunk = await t.request("PATCH", `/api/v1/boxes/${box}`, { capacity: 5 });
    expect(shrunk.status).toBe(200);
    expect(BoxDetailSchema.parse(shrunk.body)).toMatchObject({ capacity: 5, occupied: 3 });
  });

  test("deleting a box that holds stock is 409 naming the slots", async () => {
    const box = await newBox(t, 3);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 3, qty: 2 }] });
    const refused = await t.request<ProblemBody>("DELETE", `/api/v1/boxes/${box}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`${box}-3`);
    await removeAll(part.id, box, 3, 2);
    expect((await t.request("DELETE", `/api/v1/boxes/${box}`)).status).toBe(204);
    // The ledger outlives the box: the part's history still lists the slot.
    const history = await t.request<{ items: unknown[] }>(
      "GET",
      `/api/v1/parts/${part.id}/history`,
    );
    expect(history.body.items).toHaveLength(2);
    await expectLedgerConsistent(t);
  });

  test("a box delete racing a stock add: one of them is refused", async () => {
    const box = await newBox(t, 2);
    const part = await newPart(t);
    const [added, deleted] = await Promise.all([
      t.request("POST", `/api/v1/parts/${part.id}/stock/add`, { boxNo: box, locNo: 1, qty: 1 }),
      t.request("DELETE", `/api/v1/boxes/${box}`),
    ]);
    const outcome = [added.status, deleted.status];
    expect([
      [200, 409],
      [404, 204],
    ]).toContainEqual(outcome);
    await expectLedgerConsistent(t);
  });

  test("types count their parts and cannot be deleted while used", async () => {
    const created = await t.request("POST", "/api/v1/types", { name: "Crystal" });
    const type = TypeSchema.parse(created.body);
    const a = await newPart(t, { typeId: type.id });
    await newPart(t, { typeId: type.id });
    const listed = TypeListSchema.parse((await t.request("GET", "/api/v1/types")).body);
    expect(listed.items.find((item) => item.id === type.id)?.partCount).toBe(2);
    expect(TypeSchema.parse((await t.request("GET", `/api/v1/types/${type.id}`)).body)).toEqual({
      ...type,
      partCount: 2,
    });

    const refused = await t.request<ProblemBody>("DELETE", `/api/v1/types/${type.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("2 part(s)");

    await t.request("PATCH", `/api/v1/parts/${a.id}`, { typeId: null });
    const others = await t.request<{ items: { id: string }[] }>(
      "GET",
      `/api/v1/parts?typeId=${type.id}`,
    );
    for (const part of others.body.items) {
      expect((await t.request("DELETE", `/api/v1/parts/${part.id}`)).status).toBe(204);
    }
    expect((await t.request("DELETE", `/api/v1/types/${type.id}`)).status).toBe(204);
    const kept = await t.request<{ typeId: number | null }>("GET", `/api/v1/parts/${a.id}`);
    expect(kept.body.typeId).toBeNull();
  });
});
