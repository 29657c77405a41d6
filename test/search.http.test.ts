import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type SearchHitDto, SearchResultSchema } from "../src/modules/search/search.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { expectGetRejects, newBox, newPart, typeIdByName } from "./support/inventory";

let t: TestApp;
/** Part ids by a short name used in the tests. */
const ids: Record<string, string> = {};
let box: number;

async function search(q: string, limit?: number): Promise<SearchHitDto[]> {
  const query = new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}) });
  const res = await t.request("GET", `/api/v1/search?${query}`);
  expect(res.status).toBe(200);
  return SearchResultSchema.parse(res.body).items;
}

const hitIds = async (q: string) => (await search(q)).map((hit) => hit.id);

beforeAll(async () => {
  t = await createTestApp();
  box = await newBox(t, 20);
  const relay = await typeIdByName(t, "Relay");
  const resistor = await typeIdByName(t, "Resistor");
  const ic = await typeIdByName(t, "IC");
  const parts: Record<string, Record<string, unknown>> = {
    relay: {
      description: "Relay 5 V SPST 5 A",
      manufacturer: "OMRON",
      manufacturerCode: "G5Q-1A4",
      typeId: relay,
      tags: ["coil-5V"],
      seller: "LCSC",
      initialStock: [
        { boxNo: box, locNo: 3, qty: 7 },
        { boxNo: box, locNo: 1, qty: 5 },
      ],
    },
    resistor: {
      description: "Resistor 10k 1% 0603",
      manufacturerCode: "RC0603FR-0710KL",
      manufacturer: "Yageo",
      typeId: resistor,
      tags: ["smd", "e96"],
      seller: "Reichelt",
    },
    timer: {
      description: "Timer, bipolar",
      manufacturerCode: "NE555",
      manufacturer: "Texas Instruments",
      typeId: ic,
      seller: "Mouser",
    },
    timerVariant: {
      description: "NE555 timer in a DIP-8 package, precision version",
      manufacturerCode: "NE5550",
      typeId: ic,
      tags: ["dip8"],
      seller: "Mouser",
    },
    sensor: {
      description: "Humidity and temperature sensor",
      manufacturerCode: "BME280",
      tags: ["i2c", "weather station"],
      seller: "Eckstein Komponente",
      initialStock: [{ boxNo: box, locNo: 10, qty: 2 }],
    },
  };
  for (const [name, body] of Object.entries(parts)) ids[name] = (await newPart(t, body)).id;
}, 120_000);
afterAll(() => t.close());

describe("ranking", () => {
  test("an exact id ranks above a part whose description contains the id", async () => {
    const mention = await newPart(t, { description: `Replacement for ${ids.sensor} in old kits` });
    const hits = await hitIds(ids.sensor!.toLowerCase());
    expect(hits[0]).toBe(ids.sensor!);
    expect(hits).toContain(mention.id);
  });

  test("an exact manufacturer code ranks above longer codes and descriptions containing it", async () => {
    const hits = await hitIds("ne555");
    expect(hits[0]).toBe(ids.timer!);
    expect(hits).toContain(ids.timerVariant!);
  });

  test("scores fall from the first hit to the last", async () => {
    const hits = await search("timer");
    expect(hits.length).toBeGreaterThanOrEqual(2);
    const scores = hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe("what is searched", () => {
  test("a fragment of a manufacturer code finds the part", async () => {
    const [hit] = await search("g5q");
    expect(hit).toMatchObject({
      id: ids.relay,
      manufacturer: "OMRON",
      manufacturerCode: "G5Q-1A4",
    });
  });

  test("a typo still finds the word", async () => {
    expect(await hitIds("resistr")).toContain(ids.resistor!);
    expect(await hitIds("humidty")).toContain(ids.sensor!);
  });

  test("tags, seller, manufacturer, type name and description words are searched", async () => {
    expect(await hitIds("e96")).toEqual([ids.resistor!]);
    expect(await hitIds("weather station")).toEqual([ids.sensor!]);
    expect(await hitIds("reichelt")).toEqual([ids.resistor!]);
    expect(await hitIds("yageo")).toEqual([ids.resistor!]);
    expect(await hitIds("Relay")).toEqual([ids.relay!]);
    expect((await hitIds("bipolar timer"))[0]).toBe(ids.timer!);
  });

  test("the type name follows a renamed type", async () => {
    const relay = await typeIdByName(t, "Relay");
    const res = await t.request("PATCH", `/api/v1/types/${relay}`, { name: "Switching relay" });
    expect(res.status).toBe(200);
    const [hit] = await search("switching");
    expect(hit).toMatchObject({ id: ids.relay, typeName: "Switching relay" });
    expect(await hitIds("switching")).toEqual([ids.relay!]);
  });

  test("a changed part is found by its new text and not by the old", async () => {
    const part = await newPart(t, { description: "Crystal 16 MHz", manufacturerCode: "HC49-16" });
    expect(await hitIds("crystal")).toEqual([part.id]);
    const res = await t.request("PATCH", `/api/v1/parts/${part.id}`, {
      description: "Oscillator 16 MHz",
    });
    expect(res.status).toBe(200);
    expect(await hitIds("crystal")).toEqual([]);
    expect(await hitIds("oscillator")).toEqual([part.id]);
  });

  test("LIKE wildcards in the query are taken literally", async () => {
    expect(await hitIds("1%")).toEqual([ids.resistor!]);
    expect(await hitIds("g_q")).toEqual([]);
    expect(await hitIds("_")).toEqual([]);
  });

  test("nothing matching answers an empty list", async () => {
    expect(await search("zzzzqqqq")).toEqual([]);
  });
});

describe("hits", () => {
  test("carry quantity, locations in slot order, tags and the type", async () => {
    const [hit] = await search("g5q-1a4");
    expect(hit).toEqual({
      id: ids.relay!,
      manufacturerCode: "G5Q-1A4",
      manufacturer: "OMRON",
      description: "Relay 5 V SPST 5 A",
      typeName: expect.any(String),
      tags: ["coil-5V"],
      totalQty: 12,
      locations: [
        { boxNo: box, locNo: 1, code: `${box}-1`, qty: 5 },
        { boxNo: box, locNo: 3, code: `${box}-3`, qty: 7 },
      ],
      thumbnailUrl: null,
      score: expect.any(Number),
    });
  });

  test("follow stock changes; a part without stock has none", async () => {
    const res = await t.request("POST", `/api/v1/parts/${ids.sensor}/stock/add`, {
      boxNo: box,
      locNo: 11,
      qty: 4,
    });
    expect(res.status).toBe(200);
    const [sensor] = await search("bme280");
    expect(sensor).toMatchObject({ totalQty: 6 });
    expect(sensor!.locations.map((slot) => slot.code)).toEqual([`${box}-10`, `${box}-11`]);
    const [timer] = await search("ne555");
    expect(timer).toMatchObject({ id: ids.timer, totalQty: 0, locations: [] });
  });

  test("limit caps the number of hits", async () => {
    for (let i = 0; i < 4; i++) await newPart(t, { description: `Jumper wire set ${i}` });
    expect(await search("jumper", 3)).toHaveLength(3);
    expect(await search("jumper")).toHaveLength(4);
  });
});

describe("validation", () => {
  test("a missing, empty or blank q and a bad limit are 400 naming the field", async () => {
    await expectGetRejects(t, "/api/v1/search", [
      ["", "q"],
      ["?q=", "q"],
      ["?q=%20%20", "q"],
      [`?q=${"x".repeat(201)}`, "q"],
      ["?q=relay&limit=0", "limit"],
      ["?q=relay&limit=101", "limit"],
      ["?q=relay&limit=abc", "limit"],
    ]);
  });

  test("the problem is problem+json", async () => {
    const res = await t.request<ProblemBody>("GET", "/api/v1/search?q=");
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(res.body.errors?.[0]?.path).toBe("q");
  });
});
