import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SuggestionListSchema } from "../src/modules/locations/suggestions.schemas";
import { pluralTypeName } from "../src/modules/locations/suggestions.service";
import type { PartDto } from "../src/modules/parts/parts.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { newBox, newPart, typeIdByName } from "./support/inventory";

let t: TestApp;
let relay: number;
let sensor: number;
let r1: PartDto;
let loose: PartDto;
const box: number[] = [];

// Box 1: relay R1 in slot 1. Box 2: designated for relays. Box 3: a sensor in slot 1.
// Box 4: an untyped part in slot 2. Box 5: empty.
beforeAll(async () => {
  t = await createTestApp();
  relay = await typeIdByName(t, "Relay");
  sensor = await typeIdByName(t, "Sensor");
  box.push(await newBox(t, 3));
  box.push(await newBox(t, 2, { designatedTypeId: relay }));
  box.push(await newBox(t, 2));
  box.push(await newBox(t, 2));
  box.push(await newBox(t, 2));
  r1 = await newPart(t, { typeId: relay, initialStock: [{ boxNo: box[0], locNo: 1, qty: 1 }] });
  await newPart(t, { typeId: sensor, initialStock: [{ boxNo: box[2], locNo: 1, qty: 1 }] });
  loose = await newPart(t, { initialStock: [{ boxNo: box[3], locNo: 2, qty: 1 }] });
}, 30_000);
afterAll(() => t.close());

async function suggestions(path: string) {
  const res = await t.request("GET", `/api/v1${path}`);
  expect(res.status).toBe(200);
  return SuggestionListSchema.parse(res.body).items;
}

describe("location suggestions", () => {
  test("for a type: its boxes, then its designated box, then the first free slots", async () => {
    const items = await suggestions(`/location-suggestions?typeId=${relay}&count=6`);
    expect(items.map((item) => item.code)).toEqual([
      `${box[0]}-2`,
      `${box[0]}-3`,
      `${box[1]}-1`,
      `${box[1]}-2`,
      `${box[2]}-2`,
      `${box[3]}-1`,
    ]);
    expect(items[0]).toEqual({
      boxNo: box[0]!,
      locNo: 2,
      code: `${box[0]}-2`,
      reason: `Box ${box[0]} already holds Relays.`,
    });
    expect(items[2]!.reason).toBe(`Box ${box[1]} is meant for Relays.`);
    expect(items[4]!.reason).toBe(`${box[2]}-2 is the first free location over all boxes.`);
  });

  test("count defaults to 1; without a type the first free slots come in order", async () => {
    expect(
      (await suggestions(`/location-suggestions?typeId=${sensor}`)).map((i) => i.code),
    ).toEqual([`${box[2]}-2`]);
    const any = await suggestions("/location-suggestions?count=3");
    expect(any.map((item) => item.code)).toEqual([`${box[0]}-2`, `${box[0]}-3`, `${box[1]}-1`]);
    const all = await suggestions("/location-suggestions?count=50");
    expect(all).toHaveLength(8);
  });

  test("for a part: next to itself first, then next to its type", async () => {
    const other = await newPart(t, {
      typeId: relay,
      initialStock: [{ boxNo: box[4], locNo: 1, qty: 1 }],
    });
    try {
      const items = await suggestions(`/parts/${r1.id.toLowerCase()}/location-suggestions?count=4`);
      expect(items.map((item) => item.code)).toEqual([
        `${box[0]}-2`,
        `${box[0]}-3`,
        `${box[4]}-2`,
        `${box[1]}-1`,
      ]);
      expect(items[0]!.reason).toBe(`Box ${box[0]} already holds ${r1.id}.`);
      expect(items[2]!.reason).toBe(`Box ${box[4]} already holds Relays.`);
      const untyped = await suggestions(`/parts/${loose.id}/location-suggestions?count=2`);
      expect(untyped.map((item) => item.code)).toEqual([`${box[3]}-1`, `${box[0]}-2`]);
    } finally {
      await t.request("POST", `/api/v1/parts/${other.id}/stock/remove`, {
        removals: [{ boxNo: box[4], locNo: 1, qty: 1 }],
      });
    }
  });

  test("bad input is 400 naming the parameter; unknown parts are 404", async () => {
    for (const [path, field] of [
      ["/location-suggestions?count=0", "count"],
      ["/location-suggestions?count=51", "count"],
      ["/location-suggestions?typeId=999999", "typeId"],
      ["/location-suggestions?typeId=abc", "typeId"],
      ["/parts/AB1C/location-suggestions", "partId"],
    ]) {
      const res = await t.request<ProblemBody>("GET", `/api/v1${path}`);
      expect(res.status, path).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe(field!);
    }
    expect((await t.request("GET", "/api/v1/parts/QQQQ/location-suggestions")).status).toBe(404);
  });

  test("type names read as plurals", () => {
    expect(
      ["Relay", "LED", "Power Module", "Mechanical", "Battery", "Switch"].map(pluralTypeName),
    ).toEqual(["Relays", "LEDs", "Power Modules", "Mechanical parts", "Batteries", "Switches"]);
  });
});
