import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import sharp from "sharp";
import { wrapText } from "../src/modules/labels/labels.service";
import { createTestApp, type TestApp } from "./support/app";
import { expectGetRejects, newPart } from "./support/inventory";

let t: TestApp;
let id: string;
beforeAll(async () => {
  t = await createTestApp();
  id = (await newPart(t, { description: 'R&D <script>alert("x")</script> \u0007relay' })).id;
}, 30_000);
afterAll(() => t.close());

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function label(query = "") {
  return t.app.request(`/api/v1/parts/${id.toLowerCase()}/label${query}`);
}

/** librsvg (through sharp) refuses malformed XML, so this is a real parse. */
async function parseSvg(svg: string) {
  return sharp(Buffer.from(svg)).metadata();
}

describe("labels", () => {
  test("SVG by default: the id, the escaped description, no barcode, 62 × 29 mm at 300 dpi", async () => {
    const res = await label();
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("image/svg+xml");
    const svg = await res.text();
    expect(svg).toContain(`>${id}</text>`);
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain("&amp;");
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<path");
    const meta = await parseSvg(svg);
    expect([meta.width, meta.height]).toEqual([732, 343]);
  });

  test("barcode=true adds the Code 128 bars", async () => {
    const svg = await (await label("?barcode=true")).text();
    expect(svg).toContain("<path");
    await parseSvg(svg);
  });

  test("PNG at the asked size", async () => {
    const res = await label("?format=png&barcode=true&widthMm=100&heightMm=50");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1181, 591]);
    const { channels } = await sharp(bytes).stats();
    expect(channels[0]!.min).toBe(0);
    expect(channels[0]!.max).toBe(255);
  });

  test("sizes out of bounds and bad options are 400 naming them; unknown parts 404", async () => {
    await expectGetRejects(t, `/api/v1/parts/${id}/label`, [
      ["?widthMm=19", "widthMm"],
      ["?widthMm=201", "widthMm"],
      ["?heightMm=9", "heightMm"],
      ["?heightMm=abc", "heightMm"],
      ["?format=jpg", "format"],
      ["?barcode=yes", "barcode"],
    ]);
    expect((await t.request("GET", "/api/v1/parts/QQQQ/label")).status).toBe(404);
  });

  test("the description is cut at whole words with an ellipsis", () => {
    expect(wrapText("Relay 5 V SPST 5 A with a long tail", 12, 2)).toEqual([
      "Relay 5 V",
      "SPST 5 A…",
    ]);
    expect(wrapText("abcdefghijklmnopqrstuvwxyz", 10, 2)).toEqual(["abcdefghij", "klmnopqrs…"]);
    expect(wrapText("short", 12, 2)).toEqual(["short"]);
  });
});
