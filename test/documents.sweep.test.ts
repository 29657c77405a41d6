import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Readable } from "node:stream";
import { sweepStorage } from "../src/modules/documents/documents.sweep";
import { createTestApp, type TestApp } from "./support/app";
import { makePdf, makePng, storedKeys, uploadOk } from "./support/documents";
import { newPart } from "./support/inventory";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t.close());

describe("storage sweep", () => {
  test("deletes old objects without rows, keeps young ones, reports rows without objects", async () => {
    const part = await newPart(t);
    const kept = await uploadOk(t, part.id, makePdf());
    const image = await uploadOk(t, part.id, await makePng());
    const lost = await uploadOk(t, part.id, makePdf());
    // An object no row points at (a crash between the object and its row) ...
    await t.deps.storage.put("docs", "orphan.pdf", Readable.from([makePdf()]), {
      contentType: "application/pdf",
    });
    // ... and a row whose object has gone.
    await t.deps.storage.delete("docs", `${lost.id}.pdf`);

    // Within the grace period the orphan may be an upload in flight: it stays.
    const young = await sweepStorage(t.deps);
    expect(young.orphans).toEqual([]);
    expect(await storedKeys(t, "docs")).toContain("orphan.pdf");

    const dry = await sweepStorage(t.deps, {
      graceMs: 0,
      dryRun: true,
      now: new Date(Date.now() + 1000),
    });
    expect(dry.orphans.map((orphan) => orphan.key)).toEqual(["orphan.pdf"]);
    expect(await storedKeys(t, "docs")).toContain("orphan.pdf");

    const report = await sweepStorage(t.deps, { graceMs: 0, now: new Date(Date.now() + 1000) });
    expect(report.orphans.map((orphan) => [orphan.bucket, orphan.key])).toEqual([
      ["docs", "orphan.pdf"],
    ]);
    expect(report.missing).toEqual([
      { documentId: lost.id, partId: part.id, bucket: "docs", key: `${lost.id}.pdf` },
    ]);
    expect(await storedKeys(t, "docs")).toEqual([`${kept.id}.pdf`]);
    expect(await storedKeys(t, "images")).toEqual([`${image.id}.png`]);
  });
});
