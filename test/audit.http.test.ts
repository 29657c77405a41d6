import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { randomPartId } from "../src/lib/ids";
import { SuggestionListSchema } from "../src/modules/locations/suggestions.schemas";
import { PartListSchema } from "../src/modules/parts/parts.schemas";
import { createTestApp, type TestApp } from "./support/app";
import { newBox, newPart, typeIdByName } from "./support/inventory";

// Points of the issues whose existing tests could not tell a right answer from a wrong one.

let t: TestApp;
const queue: string[] = [];
beforeAll(async () => {
  t = await createTestApp({ deps: { newPartId: () => queue.shift() ?? randomPartId() } });
}, 30_000);
afterAll(() => t.close());

describe("parts list order", () => {
  test("createdAt sorts by creation time, not by id", async () => {
    const type = (await t.request<{ id: number }>("POST", "/api/v1/types", { name: "Audit" })).body
      .id;
    queue.push("MMMM", "CCCC", "XXXX", "AAAA");
    for (const _ of queue.slice()) await newPart(t, { typeId: type });
    const ids = async (query: string) => {
      const res = await t.request("GET", `/api/v1/parts?typeId=${type}${query}`);
      expect(res.status).toBe(200);
      return PartListSchema.parse(res.body).items.map((part) => part.id);
    };
    expect(await ids("&sort=id")).toEqual(["AAAA", "CCCC", "MMMM", "XXXX"]);
    expect(await ids("&sort=createdAt")).toEqual(["MMMM", "CCCC", "XXXX", "AAAA"]);
    expect(await ids("&sort=-createdAt")).toEqual(["AAAA", "XXXX", "CCCC", "MMMM"]);
    const paged: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const res = await t.request(
        "GET",
        `/api/v1/parts?typeId=${type}&sort=createdAt&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
      );
      const page = PartListSchema.parse(res.body);
      paged.push(...page.items.map((part) => part.id));
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(["MMMM", "CCCC", "XXXX", "AAAA"]);
  });
});

describe("location suggestions", () => {
  test("tiers win over box order: the type's boxes, then its designated box, then any", async () => {
    const led = await typeIdByName(t, "LED");
    const anyBox = await newBox(t, 1);
    const designated = await newBox(t, 2, { designatedTypeId: led });
    const holding = await newBox(t, 3);
    await newPart(t, { typeId: led, initialStock: [{ boxNo: holding, locNo: 1, qty: 5 }] });
    const res = await t.request("GET", `/api/v1/location-suggestions?typeId=${led}&count=5`);
    expect(res.status).toBe(200);
    const codes = SuggestionListSchema.parse(res.body).items.map((item) => item.code);
    const firstFree = await t.request("GET", "/api/v1/location-suggestions?count=1");
    const anywhere = SuggestionListSchema.parse(firstFree.body).items[0]!.code;
    expect(codes).toEqual([
      `${holding}-2`,
      `${holding}-3`,
      `${designated}-1`,
      `${designated}-2`,
      anywhere,
    ]);
    expect(Number(anywhere.split("-")[0])).toBeLessThanOrEqual(anyBox);
  });
});

describe("labels", () => {
  test("a PNG defaults to 62 × 29 mm at 300 dpi", async () => {
    const part = await newPart(t, { description: "Label default" });
    const res = await t.app.request(`/api/v1/parts/${part.id}/label?format=png`);
    expect(res.status).toBe(200);
    const meta = await sharp(new Uint8Array(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height, meta.density]).toEqual(["png", 732, 343, 300]);
  });

  test("the barcode encodes the part id in Code 128", async () => {
    const part = await newPart(t, { description: "x" });
    const res = await t.app.request(
      `/api/v1/parts/${part.id}/label?format=png&barcode=true&widthMm=200&heightMm=60`,
    );
    expect(res.status).toBe(200);
    const label = await barWidths(new Uint8Array(await res.arrayBuffer()));
    const reference = await barWidths(
      await bwipjs.toBuffer({ bcid: "code128", text: part.id, scale: 4, height: 10 }),
    );
    const modules = reference.reduce((sum, run) => sum + run, 0) / 4;
    const total = label.reduce((sum, run) => sum + run, 0);
    expect(label.map((run) => Math.round((run * modules) / total))).toEqual(
      reference.map((run) => run / 4),
    );
  });
});

/** Widths of the alternating dark and light runs along the row crossing the most bars. */
async function barWidths(png: Uint8Array): Promise<number[]> {
  const { data, info } = await sharp(png)
    .flatten({ background: "#ffffff" })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let best: number[] = [];
  for (let y = 0; y < info.height; y++) {
    const runs: number[] = [];
    let dark = false;
    for (let x = 0; x < info.width; x++) {
      const isDark = data[y * info.width + x]! < 128;
      if (isDark !== dark || runs.length === 0) {
        if (runs.length > 0 || isDark) runs.push(0);
        dark = isDark;
      }
      if (runs.length > 0) runs[runs.length - 1]! += 1;
    }
    if (!dark && runs.length > 0) runs.pop();
    if (runs.length > best.length) best = runs;
  }
  return best;
}
