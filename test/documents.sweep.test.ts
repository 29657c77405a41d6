import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import sharp from "sharp";
import { sweepStorage } from "../src/modules/documents/documents.sweep";
import { createTestApp, type TestApp } from "./support/app";
import { makePdf, makePng, storedKeys, thumbnailJobOf, uploadOk } from "./support/documents";
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
    expect((await thumbnailJobOf(t, image.id)).status).toBe("succeeded");
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
    expect(await storedKeys(t, "images")).toEqual([
      `${image.id}.md.webp`,
      `${image.id}.png`,
      `${image.id}.sm.webp`,
    ]);
  });

  test("thumbnails count as their image's while it exists, as orphans once it is gone", async () => {
    const part = await newPart(t);
    const image = await uploadOk(t, part.id, await makePng());
    const lost = await uploadOk(t, part.id, await makePng());
    expect((await thumbnailJobOf(t, image.id)).status).toBe("succeeded");
    expect((await thumbnailJobOf(t, lost.id)).status).toBe("succeeded");
    // A crash between a document's row delete and its objects' leaves its thumbnails behind.
    const gone = randomUUID();
    const webp = (await sharp(await makePng())
      .webp()
      .toBuffer()) as Buffer;
    for (const size of ["sm", "md"]) {
      await t.deps.storage.put("images", `${gone}.${size}.webp`, Readable.from([webp]), {
        contentType: "image/webp",
      });
    }
    // A made thumbnail that went missing is reported.
    await t.deps.storage.delete("images", `${lost.id}.md.webp`);

    const report = await sweepStorage(t.deps, { graceMs: 0, now: new Date(Date.now() + 1000) });
    expect(report.orphans.map((orphan) => orphan.key).sort()).toEqual([
      `${gone}.md.webp`,
      `${gone}.sm.webp`,
    ]);
    expect(report.missing.filter((row) => row.partId === part.id)).toEqual([
      { documentId: lost.id, partId: part.id, bucket: "images", key: `${lost.id}.md.webp` },
    ]);
    const keys = await storedKeys(t, "images");
    expect(keys.filter((key) => key.startsWith(gone))).toEqual([]);
    expect(keys.filter((key) => key.startsWith(image.id))).toEqual([
      `${image.id}.md.webp`,
      `${image.id}.png`,
      `${image.id}.sm.webp`,
    ]);
  });
});
