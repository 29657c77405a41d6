import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type PartDto, PartSchema } from "../src/modules/parts/parts.schemas";
import {
  BuildConflictSchema,
  BuildResultSchema,
  ProjectDetailSchema,
  RequirementSchema,
  ShortagesResultSchema,
} from "../src/modules/projects/projects.schemas";
import {
  ReceiveResultSchema,
  ShoppingItemPageSchema,
  ShoppingItemSchema,
} from "../src/modules/shopping/shopping.schemas";
import { HistoryListSchema } from "../src/modules/stock/stock.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { expectLedgerConsistent, newBox, newPart, typeIdByName } from "./support/inventory";
import { createConformanceChecker } from "./support/openapi-conformance";

const conformance = createConformanceChecker(
  await Bun.file(new URL("../openapi/openapi.json", import.meta.url)).json(),
);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

async function newProject(name: string, requirements: Record<string, unknown>[] = []) {
  const res = await t.request<{ id: number }>("POST", "/api/v1/projects", { name });
  expect(res.status).toBe(201);
  const ids: number[] = [];
  for (const requirement of requirements) {
    const added = await t.request(
      "POST",
      `/api/v1/projects/${res.body.id}/requirements`,
      requirement,
    );
    expect(added.status).toBe(201);
    ids.push(RequirementSchema.parse(added.body).id);
  }
  return { id: res.body.id, requirementIds: ids };
}

async function coverage(projectId: number, kits = 1) {
  const res = await t.request("GET", `/api/v1/projects/${projectId}?kits=${kits}`);
  expect(res.status).toBe(200);
  return ProjectDetailSchema.parse(res.body);
}

async function shortages(projectId: number, kits?: number) {
  const res = await t.request(
    "POST",
    `/api/v1/projects/${projectId}/shortages-to-shopping-list`,
    kits === undefined ? undefined : { kits },
  );
  expect(res.status).toBe(200);
  return ShortagesResultSchema.parse(res.body);
}

const keyHeader = (key?: string): Record<string, string> => (key ? { "Idempotency-Key": key } : {});

function build(projectId: number, body?: Record<string, unknown>, key?: string) {
  const url = `/api/v1/projects/${projectId}/build`;
  return t.request<ProblemBody>("POST", url, body, keyHeader(key));
}

function receive(itemId: number, body?: Record<string, unknown>, key?: string) {
  const url = `/api/v1/shopping-list/${itemId}/receive`;
  return t.request<ProblemBody>("POST", url, body, keyHeader(key));
}

async function part(id: string): Promise<PartDto> {
  return PartSchema.parse((await t.request("GET", `/api/v1/parts/${id}`)).body);
}

/** Per part: the ledger deltas add up to its total; per slot the shared helper checks. */
async function expectLedgerMatches(partIds: string[]) {
  for (const id of partIds) {
    const history = HistoryListSchema.parse(
      (await t.request("GET", `/api/v1/parts/${id}/history?limit=200`)).body,
    );
    const sum = history.items.reduce((total, row) => total + row.deltaQty, 0);
    expect(sum).toBe((await part(id)).totalQty);
  }
  await expectLedgerConsistent(t);
}

async function openItemsOfProject(projectId: number) {
  const res = await t.request("GET", "/api/v1/shopping-list?status=open&limit=200");
  return ShoppingItemPageSchema.parse(res.body).items.filter((i) => i.projectId === projectId);
}

describe("the loop: project → coverage → shortages → receive → build", () => {
  test("from a short project to a built one, with stock and ledger in step", async () => {
    const box = await newBox(t, 10);
    const relayType = await typeIdByName(t, "Relay");
    const relay = await newPart(t, {
      description: "Relay 5 V",
      manufacturerCode: "G5Q-1A4",
      typeId: relayType,
      seller: "LCSC",
      initialStock: [{ boxNo: box, locNo: 1, qty: 3 }],
    });
    const project = await newProject("Gate opener", [
      { partId: relay.id.toLowerCase(), requiredQty: 2 },
      { placeholder: { manufacturerCode: "NE555P", description: "555 timer" }, requiredQty: 1 },
    ]);
    const [relayReq, timerReq] = project.requirementIds as [number, number];

    const before = await coverage(project.id, 2);
    expect(before.status).toBe("partial");
    expect(before.requirements).toMatchObject([
      { partId: relay.id, neededQty: 4, availableQty: 3, shortfall: 1, status: "partial" },
      { partId: null, neededQty: 2, availableQty: 0, shortfall: 2, status: "missing" },
    ]);
    expect((await coverage(project.id, 1)).requirements[0]?.status).toBe("enough");

    const first = await shortages(project.id, 2);
    expect(first).toMatchObject({ kits: 2, created: 2, updated: 0, unchanged: 0 });
    expect(first.items).toMatchObject([
      {
        partId: relay.id,
        manufacturerCode: "G5Q-1A4",
        typeId: relayType,
        seller: "LCSC",
        desiredQty: 1,
        requirementId: relayReq,
        projectId: project.id,
        status: "open",
      },
      {
        partId: null,
        manufacturerCode: "NE555P",
        description: "555 timer",
        desiredQty: 2,
        requirementId: timerReq,
      },
    ]);
    const again = await shortages(project.id, 2);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(again.items).toEqual(first.items);
    const fewer = await shortages(project.id, 1);
    expect(fewer).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(fewer.items).toEqual([first.items[1]!]);
    const grown = await shortages(project.id, 3);
    expect(grown).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    expect(grown.items.map((item) => [item.requirementId, item.desiredQty])).toEqual([
      [relayReq, 3],
      [timerReq, 3],
    ]);
    const items = await openItemsOfProject(project.id);
    expect(items).toHaveLength(2);
    const [relayItem, timerItem] = items as [(typeof items)[0], (typeof items)[0]];

    // No locations: the slot already holding the relay takes it all.
    const relayIn = await receive(relayItem.id);
    expect(relayIn.status).toBe(200);
    const relayResult = ReceiveResultSchema.parse(relayIn.body);
    expect(relayResult.part).toMatchObject({
      id: relay.id,
      totalQty: 6,
      locations: [{ boxNo: box, locNo: 1, qty: 6 }],
    });
    expect(relayResult.item).toMatchObject({ id: relayItem.id, status: "received" });

    const timerIn = await receive(timerItem.id, {
      qty: 3,
      locations: [{ boxNo: box, locNo: 5, qty: 3 }],
    });
    expect(timerIn.status).toBe(200);
    const timer = ReceiveResultSchema.parse(timerIn.body);
    expect(timer.part).toMatchObject({
      manufacturerCode: "NE555P",
      description: "555 timer",
      totalQty: 3,
      locations: [{ boxNo: box, locNo: 5, qty: 3 }],
    });
    expect(timer.item).toMatchObject({ partId: timer.part.id, status: "received" });
    const twice = await receive(timerItem.id);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain(String(timerItem.id));

    // The placeholder is still missing, but the detail points at the new part.
    const pending = await coverage(project.id, 3);
    expect(pending.requirements[1]).toMatchObject({
      partId: null,
      status: "missing",
      matchingPartId: timer.part.id,
    });
    const linked = await t.request(
      "PATCH",
      `/api/v1/projects/${project.id}/requirements/${timerReq}`,
      { partId: timer.part.id },
    );
    expect(linked.status).toBe(200);
    expect(RequirementSchema.parse(linked.body)).toMatchObject({
      partId: timer.part.id,
      placeholder: null,
      matchingPartId: null,
      part: { manufacturerCode: "NE555P" },
    });
    const ready = await coverage(project.id, 3);
    expect(ready.status).toBe("enough");
    expect(ready.requirements.map((r) => [r.availableQty, r.shortfall, r.status])).toEqual([
      [6, 0, "enough"],
      [3, 0, "enough"],
    ]);

    const built = await build(project.id, { kits: 3 });
    expect(built.status).toBe(200);
    expect(BuildResultSchema.parse(built.body)).toMatchObject({
      projectId: project.id,
      kits: 3,
      removals: [
        { partId: relay.id, boxNo: box, locNo: 1, qty: 6, remainingQty: 0 },
        { partId: timer.part.id, boxNo: box, locNo: 5, qty: 3, remainingQty: 0 },
      ],
    });
    expect(await part(relay.id)).toMatchObject({ totalQty: 0, locations: [] });
    expect(await part(timer.part.id)).toMatchObject({ totalQty: 0, locations: [] });
    const history = HistoryListSchema.parse(
      (await t.request("GET", `/api/v1/parts/${relay.id}/history`)).body,
    );
    expect(history.items.map((row) => [row.reason, row.deltaQty, row.refId])).toEqual([
      ["build", -6, String(project.id)],
      ["receive", 3, String(relayItem.id)],
      ["add", 3, null],
    ]);
    await expectLedgerMatches([relay.id, timer.part.id]);

    const short = await build(project.id);
    expect(short.status).toBe(409);
    expect(short.body.detail).toContain(`${relay.id} needs 2, has 0`);
    expect(short.body.detail).toContain(`${timer.part.id} needs 1, has 0`);
  });
});

describe("shortages to shopping list", () => {
  test("repeated and concurrent runs never duplicate an item", async () => {
    const project = await newProject("Dupes", [
      { placeholder: { manufacturerCode: "LM7805", description: "5 V regulator" }, requiredQty: 2 },
      { placeholder: { manufacturerCode: "1N4148", description: "Diode" }, requiredQty: 10 },
    ]);
    const runs = await Promise.all(Array.from({ length: 6 }, () => shortages(project.id)));
    expect(runs.reduce((sum, run) => sum + run.created, 0)).toBe(2);
    expect(await shortages(project.id)).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await openItemsOfProject(project.id)).toHaveLength(2);
  });

  test("run twice, it answers the same items both times and the list holds no duplicates", async () => {
    const box = await newBox(t, 2);
    const relay = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 1 }] });
    const project = await newProject("Twice", [
      { partId: relay.id, requiredQty: 3 },
      { placeholder: { manufacturerCode: "BC547", description: "NPN" }, requiredQty: 5 },
    ]);
    const [relayReq, transistorReq] = project.requirementIds as [number, number];
    const first = await shortages(project.id);
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const second = await shortages(project.id);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(second.items.map((item) => [item.requirementId, item.desiredQty])).toEqual([
      [relayReq, 2],
      [transistorReq, 5],
    ]);
    expect(second.items).toEqual(first.items);
    const open = await openItemsOfProject(project.id);
    expect(open.map((item) => item.id).sort()).toEqual(first.items.map((item) => item.id).sort());
  });

  test("a covered project adds nothing; an empty body means one kit; unknown project 404", async () => {
    const box = await newBox(t, 2);
    const stocked = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 4 }] });
    const project = await newProject("Covered", [{ partId: stocked.id, requiredQty: 4 }]);
    expect(await shortages(project.id)).toMatchObject({ kits: 1, created: 0, items: [] });
    expect((await shortages(project.id, 2)).items[0]).toMatchObject({ desiredQty: 4 });
    const missing = await t.request("POST", "/api/v1/projects/999999/shortages-to-shopping-list");
    expect(missing.status).toBe(404);
    const bad = await t.request<ProblemBody>(
      "POST",
      `/api/v1/projects/${project.id}/shortages-to-shopping-list`,
      { kits: 0 },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("kits");
  });
});

describe("build", () => {
  test("without picks it takes from the emptiest slots first, freeing them", async () => {
    const box = await newBox(t, 4);
    const resistor = await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 1, qty: 10 },
        { boxNo: box, locNo: 2, qty: 2 },
        { boxNo: box, locNo: 3, qty: 5 },
      ],
    });
    const project = await newProject("Auto-pick", [{ partId: resistor.id, requiredQty: 6 }]);
    const res = await build(project.id);
    expect(res.status).toBe(200);
    expect(BuildResultSchema.parse(res.body).removals).toEqual([
      { partId: resistor.id, boxNo: box, locNo: 2, code: `${box}-2`, qty: 2, remainingQty: 0 },
      { partId: resistor.id, boxNo: box, locNo: 3, code: `${box}-3`, qty: 4, remainingQty: 1 },
    ]);
    expect((await part(resistor.id)).locations.map((slot) => [slot.locNo, slot.qty])).toEqual([
      [1, 10],
      [3, 1],
    ]);
    const slot = await t.request<{ part: unknown }>("GET", `/api/v1/locations/${box}-2`);
    expect(slot.body.part).toBeNull();
    await expectLedgerMatches([resistor.id]);
  });

  test("picks are taken exactly as given", async () => {
    const box = await newBox(t, 4);
    const a = await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 1, qty: 5 },
        { boxNo: box, locNo: 2, qty: 5 },
      ],
    });
    const b = await newPart(t, { initialStock: [{ boxNo: box, locNo: 3, qty: 4 }] });
    const project = await newProject("Picked", [
      { partId: a.id, requiredQty: 3 },
      { partId: b.id, requiredQty: 1 },
    ]);
    const res = await build(project.id, {
      kits: 2,
      picks: [
        { partId: a.id, boxNo: box, locNo: 1, qty: 1 },
        { partId: a.id, boxNo: box, locNo: 2, qty: 5 },
        { partId: b.id.toLowerCase(), boxNo: box, locNo: 3, qty: 2 },
      ],
    });
    expect(res.status).toBe(200);
    expect((await part(a.id)).locations).toMatchObject([{ locNo: 1, qty: 4 }]);
    expect((await part(b.id)).locations).toMatchObject([{ locNo: 3, qty: 2 }]);
    await expectLedgerMatches([a.id, b.id]);
  });

  test("bad picks are refused with a detail naming the problem, and change nothing", async () => {
    const box = await newBox(t, 4);
    const a = await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 1, qty: 2 },
        { boxNo: box, locNo: 2, qty: 9 },
      ],
    });
    const other = await newPart(t, { initialStock: [{ boxNo: box, locNo: 3, qty: 9 }] });
    const project = await newProject("Bad picks", [{ partId: a.id, requiredQty: 3 }]);
    const pick = (partId: string, locNo: number, qty: number) => ({
      partId,
      boxNo: box,
      locNo,
      qty,
    });

    const notAddingUp = await build(project.id, { picks: [pick(a.id, 2, 2)] });
    expect(notAddingUp.status).toBe(400);
    expect(notAddingUp.body.detail).toContain(`${a.id} needs 3, picks add up to 2`);
    expect(notAddingUp.body.errors?.[0]?.path).toBe("picks");

    const unrequired = await build(project.id, { picks: [pick(a.id, 2, 3), pick(other.id, 3, 1)] });
    expect(unrequired.status).toBe(400);
    expect(unrequired.body.errors?.[0]?.path).toBe("picks.1.partId");

    const wrongSlot = await build(project.id, { picks: [pick(a.id, 3, 3)] });
    expect(wrongSlot.status).toBe(409);
    expect(wrongSlot.body.detail).toContain(`${box}-3 holds ${other.id}, not ${a.id}`);
    const emptySlot = await build(project.id, { picks: [pick(a.id, 4, 3)] });
    expect(emptySlot.status).toBe(409);
    expect(emptySlot.body.detail).toContain(`${box}-4 is empty`);

    const tooLittle = await build(project.id, { picks: [pick(a.id, 1, 3)] });
    expect(tooLittle.status).toBe(409);
    expect(tooLittle.body.detail).toContain(`${box}-1 holds 2 of ${a.id}, picks take 3`);

    const unknownSlot = await build(project.id, {
      picks: [{ ...pick(a.id, 1, 3), boxNo: 999_999 }],
    });
    expect(unknownSlot.status).toBe(404);

    for (const qty of [0, -1]) {
      const res = await build(project.id, { picks: [pick(a.id, 2, qty)] });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe("picks.0.qty");
    }
    const badKits = await build(project.id, { kits: 0 });
    expect(badKits.status).toBe(400);
    expect(badKits.body.errors?.[0]?.path).toBe("kits");

    expect((await part(a.id)).totalQty).toBe(11);
    expect((await part(other.id)).totalQty).toBe(9);
    await expectLedgerMatches([a.id, other.id]);
  });

  test("all or nothing: one short part stops the build and names every short part", async () => {
    const box = await newBox(t, 4);
    const plenty = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 50 }] });
    const scarce = await newPart(t, { initialStock: [{ boxNo: box, locNo: 2, qty: 1 }] });
    const none = await newPart(t);
    const project = await newProject("Short", [
      { partId: plenty.id, requiredQty: 1 },
      { partId: scarce.id, requiredQty: 2 },
      { partId: none.id, requiredQty: 1 },
    ]);
    const res = await build(project.id, { kits: 2 });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain(`${scarce.id} needs 4, has 1`);
    expect(res.body.detail).toContain(`${none.id} needs 2, has 0`);
    expect(res.body.detail).not.toContain(plenty.id);
    expect((await part(plenty.id)).totalQty).toBe(50);
  });

  test("short parts and placeholders are all named in one 409, with their numbers", async () => {
    const box = await newBox(t, 4);
    const plenty = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 50 }] });
    const scarce = await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 2, qty: 2 },
        { boxNo: box, locNo: 3, qty: 1 },
      ],
    });
    const project = await newProject("Short of both", [
      { partId: plenty.id, requiredQty: 1 },
      { partId: scarce.id, requiredQty: 2 },
      { placeholder: { manufacturerCode: "NE555P", description: "555 timer" }, requiredQty: 3 },
    ]);
    const [, scarceReq, timerReq] = project.requirementIds as [number, number, number];
    const expected = [
      {
        requirementId: scarceReq,
        partId: scarce.id,
        placeholder: null,
        required: 4,
        available: 3,
        shortfall: 1,
      },
      {
        requirementId: timerReq,
        partId: null,
        placeholder: { manufacturerCode: "NE555P", description: "555 timer" },
        required: 6,
        available: 0,
        shortfall: 6,
      },
    ];
    const picks = [
      { partId: plenty.id, boxNo: box, locNo: 1, qty: 2 },
      { partId: scarce.id, boxNo: box, locNo: 2, qty: 2 },
      { partId: scarce.id, boxNo: box, locNo: 3, qty: 2 },
    ];
    for (const body of [{ kits: 2 }, { kits: 2, picks }]) {
      const res = await build(project.id, body, `short-${"picks" in body}`);
      expect(res.status).toBe(409);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
      const problem = BuildConflictSchema.parse(res.body);
      expect(problem.code).toBe("projects.insufficient_stock");
      expect(problem.shortages).toEqual(expected);
      expect(problem.detail).toContain(`${scarce.id} needs 4, has 3`);
      expect(problem.detail).toContain("placeholder NE555P needs 6, has 0");
      expect(problem.detail).not.toContain(plenty.id);
      const path = `/api/v1/projects/${project.id}/build`;
      const observed = {
        method: "POST",
        path,
        status: 409,
        contentType: "application/problem+json",
      };
      expect(conformance.check({ ...observed, body: res.body }).problems).toEqual([]);
    }
    expect((await part(plenty.id)).totalQty).toBe(50);
    expect((await part(scarce.id)).totalQty).toBe(3);
    await expectLedgerMatches([plenty.id, scarce.id]);
  });

  test("placeholders, empty projects and unknown projects cannot be built", async () => {
    const withPlaceholder = await newProject("Placeholder", [
      { placeholder: { manufacturerCode: "ATTINY85", description: "MCU" }, requiredQty: 1 },
    ]);
    const res = await build(withPlaceholder.id);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain("ATTINY85");
    expect(BuildConflictSchema.parse(res.body).shortages).toEqual([
      {
        requirementId: withPlaceholder.requirementIds[0]!,
        partId: null,
        placeholder: { manufacturerCode: "ATTINY85", description: "MCU" },
        required: 1,
        available: 0,
        shortfall: 1,
      },
    ]);
    const empty = await newProject("Empty");
    expect((await build(empty.id)).status).toBe(409);
    expect((await build(999_999)).status).toBe(404);
  });

  test("two builds racing for the same stock: one wins, one 409, never negative", async () => {
    for (let round = 0; round < 3; round++) {
      const box = await newBox(t, 4);
      const chip = await newPart(t, {
        initialStock: [
          { boxNo: box, locNo: 1, qty: 3 },
          { boxNo: box, locNo: 2, qty: 5 },
        ],
      });
      const first = await newProject(`Race A${round}`, [{ partId: chip.id, requiredQty: 5 }]);
      const second = await newProject(`Race B${round}`, [{ partId: chip.id, requiredQty: 5 }]);
      const results = await Promise.all([
        build(first.id),
        build(second.id),
        build(first.id, { picks: [{ partId: chip.id, boxNo: box, locNo: 2, qty: 5 }] }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
      const left = await part(chip.id);
      expect(left.totalQty).toBe(3);
      expect(left.locations.every((slot) => slot.qty > 0)).toBe(true);
      await expectLedgerMatches([chip.id]);
    }
  });
});

describe("receive", () => {
  test("an item for a known part goes to a suggested slot; bad input changes nothing", async () => {
    const sensorType = await typeIdByName(t, "Sensor");
    const box = await newBox(t, 3, { designatedTypeId: sensorType });
    const sensor = await newPart(t, { description: "BME280", typeId: sensorType });
    const created = await t.request("POST", "/api/v1/shopping-list", {
      partId: sensor.id.toLowerCase(),
      desiredQty: 4,
    });
    const item = ShoppingItemSchema.parse(created.body);
    expect(item).toMatchObject({ partId: sensor.id, description: "BME280", typeId: sensorType });

    const cases: [Record<string, unknown>, string][] = [
      [{ qty: 0 }, "qty"],
      [{ qty: -2 }, "qty"],
      [{ locations: [] }, "locations"],
      [{ locations: [{ boxNo: box, locNo: 1, qty: 0 }] }, "locations.0.qty"],
      [{ qty: 5, locations: [{ boxNo: box, locNo: 1, qty: 4 }] }, "locations"],
    ];
    for (const [body, path] of cases) {
      const res = await receive(item.id, body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe(path);
    }
    expect((await receive(999_999)).status).toBe(404);

    const res = await receive(item.id);
    expect(res.status).toBe(200);
    const result = ReceiveResultSchema.parse(res.body);
    expect(result.part.locations).toEqual([{ boxNo: box, locNo: 1, code: `${box}-1`, qty: 4 }]);
    expect(result.item.status).toBe("received");
    const list = await t.request("GET", "/api/v1/shopping-list?status=received&limit=200");
    expect(ShoppingItemPageSchema.parse(list.body).items.map((i) => i.id)).toContain(item.id);
    await expectLedgerMatches([sensor.id]);
  });

  test("a failed receive rolls back the part it catalogued", async () => {
    const box = await newBox(t, 2);
    const occupant = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 1 }] });
    const created = await t.request<{ id: number }>("POST", "/api/v1/shopping-list", {
      description: "Crystal 16 MHz",
      manufacturerCode: "XTAL16",
    });
    const countParts = async () =>
      (await t.request<{ items: unknown[] }>("GET", "/api/v1/parts?limit=200")).body.items.length;
    const before = await countParts();
    const res = await receive(created.body.id, { locations: [{ boxNo: box, locNo: 1, qty: 2 }] });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain(occupant.id);
    expect(await countParts()).toBe(before);
    const item = await t.request("GET", `/api/v1/shopping-list/${created.body.id}`);
    expect(ShoppingItemSchema.parse(item.body)).toMatchObject({ status: "open", partId: null });
  });

  test("receiving the same item concurrently stocks it once", async () => {
    const box = await newBox(t, 2);
    const created = await t.request<{ id: number }>("POST", "/api/v1/shopping-list", {
      description: "Buzzer",
      desiredQty: 2,
    });
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        receive(created.body.id, { locations: [{ boxNo: box, locNo: 2, qty: 2 }] }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const slot = await t.request<{ part: { qty: number } }>("GET", `/api/v1/locations/${box}-2`);
    expect(slot.body.part.qty).toBe(2);
    await expectLedgerConsistent(t);
  });
  test("concurrent receives without locations both succeed, in different suggested slots", async () => {
    // Both items are new parts without a type: both suggestions start at the same first
    // free slot, so the later receive must move on to the next one instead of failing.
    for (let round = 0; round < 3; round++) {
      await newBox(t, 4);
      const items = await Promise.all(
        ["Fuse 1 A", "Fuse 2 A"].map(async (description) => {
          const created = await t.request("POST", "/api/v1/shopping-list", {
            description,
            desiredQty: 3,
          });
          return ShoppingItemSchema.parse(created.body);
        }),
      );
      const results = await Promise.all(items.map((item) => receive(item.id)));
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      const [first, second] = results.map((r) => ReceiveResultSchema.parse(r.body).part);
      expect(first!.id).not.toBe(second!.id);
      expect(first!.locations).toHaveLength(1);
      expect(second!.locations).toHaveLength(1);
      expect(first!.locations[0]!.code).not.toBe(second!.locations[0]!.code);
      expect([first!.totalQty, second!.totalQty]).toEqual([3, 3]);
      await expectLedgerMatches([first!.id, second!.id]);
    }
  });
});

describe("linking placeholders", () => {
  test("linking points open items at the part; receiving them stocks it, no duplicate", async () => {
    const box = await newBox(t, 2);
    const project = await newProject("Link", [
      { placeholder: { manufacturerCode: "ESP32-C3", description: "MCU" }, requiredQty: 2 },
    ]);
    const [item] = (await shortages(project.id)).items;
    const mcu = await newPart(t, { description: "ESP32-C3 module", manufacturerCode: "esp32-c3 " });
    expect((await coverage(project.id)).requirements[0]?.matchingPartId).toBe(mcu.id);
    const url = `/api/v1/projects/${project.id}/requirements/${project.requirementIds[0]}`;
    expect((await t.request("PATCH", url, { partId: mcu.id })).status).toBe(200);
    const linked = await t.request("GET", `/api/v1/shopping-list/${item!.id}`);
    expect(ShoppingItemSchema.parse(linked.body).partId).toBe(mcu.id);
    const res = await receive(item!.id, { locations: [{ boxNo: box, locNo: 1, qty: 2 }] });
    expect(ReceiveResultSchema.parse(res.body).part).toMatchObject({ id: mcu.id, totalQty: 2 });
    expect((await coverage(project.id)).status).toBe("enough");

    const other = await newPart(t);
    const second = await t.request<{ id: number }>(
      "POST",
      `/api/v1/projects/${project.id}/requirements`,
      { partId: other.id, requiredQty: 1 },
    );
    const clash = await t.request<ProblemBody>(
      "PATCH",
      `/api/v1/projects/${project.id}/requirements/${second.body.id}`,
      { partId: mcu.id },
    );
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toContain(mcu.id);
    const back = await t.request("PATCH", url, {
      placeholder: { manufacturerCode: "ESP32-C6", description: "MCU" },
    });
    expect(RequirementSchema.parse(back.body)).toMatchObject({ partId: null, status: "missing" });
  });

  test("deleting a project keeps its shopping items, unlinked", async () => {
    const project = await newProject("Gone", [
      { placeholder: { manufacturerCode: "TP4056", description: "Charger" }, requiredQty: 1 },
    ]);
    const [item] = (await shortages(project.id)).items;
    expect((await t.request("DELETE", `/api/v1/projects/${project.id}`)).status).toBe(204);
    const kept = await t.request("GET", `/api/v1/shopping-list/${item!.id}`);
    expect(ShoppingItemSchema.parse(kept.body)).toMatchObject({
      projectId: null,
      requirementId: null,
      status: "open",
    });
  });
});

describe("parts required by projects", () => {
  test("cannot be deleted while a project requires them", async () => {
    const needed = await newPart(t);
    const first = await newProject("Keeps it", [{ partId: needed.id, requiredQty: 1 }]);
    const second = await newProject("Also keeps it", [{ partId: needed.id, requiredQty: 2 }]);
    const refused = await t.request<ProblemBody>("DELETE", `/api/v1/parts/${needed.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`${first.id} "Keeps it"`);
    expect(refused.body.detail).toContain(`${second.id} "Also keeps it"`);

    const duplicate = await t.request<ProblemBody>(
      "POST",
      `/api/v1/projects/${first.id}/requirements`,
      {
        partId: needed.id,
        requiredQty: 3,
      },
    );
    expect(duplicate.status).toBe(409);

    for (const project of [first, second]) {
      const url = `/api/v1/projects/${project.id}/requirements/${project.requirementIds[0]}`;
      expect((await t.request("DELETE", url)).status).toBe(204);
    }
    expect((await t.request("DELETE", `/api/v1/parts/${needed.id}`)).status).toBe(204);
  });
});

describe("Idempotency-Key on receive and build", () => {
  test("a retried receive answers the first response and stocks once", async () => {
    const box = await newBox(t, 2);
    const created = await t.request<{ id: number }>("POST", "/api/v1/shopping-list", {
      description: "Opto 817",
      desiredQty: 3,
    });
    const body = { locations: [{ boxNo: box, locNo: 1, qty: 3 }] };
    const first = await receive(created.body.id, body, "receive-1");
    expect(first.status).toBe(200);
    const retry = await receive(created.body.id, body, "receive-1");
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const { part: received } = ReceiveResultSchema.parse(first.body);
    expect((await part(received.id)).totalQty).toBe(3);
    const reused = await receive(created.body.id, { qty: 3 }, "receive-1");
    expect(reused.status).toBe(409);
    expect(reused.body.detail).toContain("receive-1");
    expect((await receive(created.body.id, body, "receive-2")).status).toBe(409);
    await expectLedgerMatches([received.id]);
  });

  test("a retried build answers the first response and deducts once", async () => {
    const box = await newBox(t, 2);
    const cap = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 10 }] });
    const project = await newProject("Retry", [{ partId: cap.id, requiredQty: 4 }]);
    const first = await build(project.id, { kits: 1 }, "build-1");
    expect(first.status).toBe(200);
    const retries = await Promise.all([
      build(project.id, { kits: 1 }, "build-1"),
      build(project.id, { kits: 1 }, "build-1"),
    ]);
    for (const retry of retries) expect(retry.body).toEqual(first.body);
    expect((await part(cap.id)).totalQty).toBe(6);
    expect((await build(project.id, { kits: 2 }, "build-1")).status).toBe(409);
    expect((await build(project.id, { kits: 1 }, "build-2")).status).toBe(200);
    expect((await part(cap.id)).totalQty).toBe(2);
    await expectLedgerMatches([cap.id]);
  });
});
