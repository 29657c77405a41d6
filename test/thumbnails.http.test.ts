import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { jobKinds, maintenanceTasks } from "../src/modules/index";
import { startJobRuntime } from "../src/modules/jobs/jobs.runtime";
import { jobsTable } from "../src/modules/jobs/jobs.table";
import type { PartDto } from "../src/modules/parts/parts.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { makePng, storedKeys, thumbnailJobOf, uploadOk } from "./support/documents";
import { newPart } from "./support/inventory";
import { startS3rver } from "./support/s3rver";
import { createTestStorage, type TestStorage, testS3 } from "./support/storage";
import { startTcpProxy } from "./support/tcp-proxy";

const MAX_PIXELS = 4_000_000;

let own: TestStorage;
let t: TestApp;
beforeAll(async () => {
  own = await createTestStorage();
  t = await createTestApp({
    env: {
      THUMBNAIL_MAX_PIXELS: String(MAX_PIXELS),
      JOB_MAX_ATTEMPTS: "3",
      JOB_RETRY_DELAYS_MS: "100,200",
    },
    deps: { storage: own.storage },
    jobs: {},
  });
}, 60_000);
afterAll(async () => {
  await t.close();
  await own.cleanup();
});

/**
 * A 1600 × 1200 JPEG stored sideways: red top half, blue bottom half, EXIF orientation 6
 * (shown turned 90° clockwise: 1200 × 1600, red on the right) and an EXIF copyright.
 */
async function makeSidewaysJpeg(): Promise<Buffer> {
  const red = await sharp({
    create: { width: 1600, height: 600, channels: 3, background: "#ff0000" },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#0000ff" } })
    .composite([{ input: red, top: 0, left: 0 }])
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Copyright: "secret owner" } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

async function fetchThumbnail(app: TestApp, documentId: string, size: "sm" | "md") {
  const res = await app.fetch(`/api/v1/documents/${documentId}/thumbnail?size=${size}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes };
}

/** RGB of pixel (x, y) of an encoded image. */
async function pixelAt(image: Buffer, x: number, y: number) {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (Math.round(y) * info.width + Math.round(x)) * info.channels;
  return [...data.subarray(at, at + 3)];
}

describe("thumbnails", () => {
  test("a JPEG gets upright sm and md WebP thumbnails without its EXIF", async () => {
    const part = await newPart(t);
    const jpeg = await makeSidewaysJpeg();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const doc = await uploadOk(t, part.id, jpeg, { filename: "sideways.jpg" });

    const job = await thumbnailJobOf(t, doc.id);
    expect(job).toMatchObject({ kind: "documents.thumbnail", status: "succeeded", attempts: 1 });
    expect(job.result).toEqual({
      documentId: doc.id,
      thumbnails: {
        sm: { width: 192, height: 256, bytes: expect.any(Number) },
        md: { width: 768, height: 1024, bytes: expect.any(Number) },
      },
    });

    for (const [size, width, height] of [
      ["sm", 192, 256],
      ["md", 768, 1024],
    ] as const) {
      const { res, bytes } = await fetchThumbnail(t, doc.id, size);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/webp");
      expect(res.headers.get("content-length")).toBe(String(bytes.length));
      expect(res.headers.get("cache-control")).toContain("immutable");
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: "webp", width, height });
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(bytes.includes("secret owner")).toBe(false);
      // Turned clockwise: the stored top (red) is on the right, the bottom (blue) on the left.
      const [leftR, , leftB] = await pixelAt(bytes, 4, height / 2);
      const [rightR, , rightB] = await pixelAt(bytes, width - 5, height / 2);
      expect(leftB!).toBeGreaterThan(200);
      expect(leftR!).toBeLessThan(50);
      expect(rightR!).toBeGreaterThan(200);
      expect(rightB!).toBeLessThan(50);

      const etag = res.headers.get("etag")!;
      expect(etag).toMatch(/^"/);
      const again = await t.fetch(`/api/v1/documents/${doc.id}/thumbnail?size=${size}`, {
        headers: { "If-None-Match": etag },
      });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
    }
    // `size` defaults to sm.
    const plain = await t.fetch(`/api/v1/documents/${doc.id}/thumbnail`);
    expect((await sharp(Buffer.from(await plain.arrayBuffer())).metadata()).width).toBe(192);

    const thumbnailUrl = `/api/v1/documents/${doc.id}/thumbnail?size=sm`;
    const read = await t.request<{ thumbnailUrl: string | null }>(
      "GET",
      `/api/v1/documents/${doc.id}`,
    );
    expect(read.body.thumbnailUrl).toBe(thumbnailUrl);
    const listed = await t.request<{ items: { thumbnailUrl: string | null }[] }>(
      "GET",
      `/api/v1/parts/${part.id}/documents`,
    );
    expect(listed.body.items.map((item) => item.thumbnailUrl)).toEqual([thumbnailUrl]);
    // The first image is the part's cover: the part and its search hit show its thumbnail.
    const readPart = await t.request<PartDto>("GET", `/api/v1/parts/${part.id}`);
    expect(readPart.body).toMatchObject({ coverDocumentId: doc.id, thumbnailUrl });
    const listedParts = await t.request<{ items: PartDto[] }>("GET", "/api/v1/parts?limit=100");
    expect(listedParts.body.items.find((item) => item.id === part.id)?.thumbnailUrl).toBe(
      thumbnailUrl,
    );
    const search = await t.request<{ items: { id: string; thumbnailUrl: string | null }[] }>(
      "GET",
      `/api/v1/search?q=${part.id}`,
    );
    expect(search.body.items[0]).toMatchObject({ id: part.id, thumbnailUrl });
    expect((await storedKeys(t, "images")).filter((key) => key.startsWith(doc.id))).toEqual([
      `${doc.id}.jpg`,
      `${doc.id}.md.webp`,
      `${doc.id}.sm.webp`,
    ]);
  });

  test("a small PNG keeps its size in md and its transparency", async () => {
    const part = await newPart(t);
    const png = await sharp({
      create: {
        width: 300,
        height: 200,
        channels: 4,
        background: { r: 0, g: 128, b: 0, alpha: 0.5 },
      },
    })
      .png()
      .toBuffer();
    const doc = await uploadOk(t, part.id, png);
    const job = await thumbnailJobOf(t, doc.id);
    expect(job.status).toBe("succeeded");
    const md = await sharp((await fetchThumbnail(t, doc.id, "md")).bytes).metadata();
    expect(md).toMatchObject({ format: "webp", width: 300, height: 200, hasAlpha: true });
    const sm = await sharp((await fetchThumbnail(t, doc.id, "sm")).bytes).metadata();
    expect(sm).toMatchObject({ format: "webp", width: 256, height: 171 });
  });

  test("a truncated JPEG fails its job at once with a clear error; the server carries on", async () => {
    const part = await newPart(t);
    const jpeg = await sharp(await makePng(800, 600))
      .jpeg()
      .toBuffer();
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    const doc = await uploadOk(t, part.id, truncated, { filename: "broken.jpg" });
    const job = await thumbnailJobOf(t, doc.id);
    expect(job).toMatchObject({ status: "failed", attempts: 1, result: null });
    expect(job.error).toContain(`Document ${doc.id}: the image could not be decoded`);
    expect(job.error).toMatch(/premature end/i);

    const res = await t.request<ProblemBody>(
      "GET",
      `/api/v1/documents/${doc.id}/thumbnail?size=sm`,
    );
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("documents.thumbnail_not_found");
    expect((await t.request("GET", `/api/v1/documents/${doc.id}`)).status).toBe(200);
    expect((await t.request("GET", "/health")).status).toBe(200);
    // A good image after it is still made.
    const next = await uploadOk(t, part.id, await makePng(40, 30));
    expect((await thumbnailJobOf(t, next.id)).status).toBe("succeeded");
  });

  test("an image over THUMBNAIL_MAX_PIXELS fails without being decoded", async () => {
    const part = await newPart(t);
    const huge = await sharp({
      create: { width: 2500, height: 2000, channels: 3, background: "#808080" },
    })
      .png()
      .toBuffer();
    const doc = await uploadOk(t, part.id, huge);
    const job = await thumbnailJobOf(t, doc.id);
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job.error).toBe(
      `Document ${doc.id}: the image is 2500 × 2000 = 5000000 pixels, over the limit of ${MAX_PIXELS} (THUMBNAIL_MAX_PIXELS).`,
    );
    const read = await t.request<{ thumbnailUrl: string | null }>(
      "GET",
      `/api/v1/documents/${doc.id}`,
    );
    expect(read.body.thumbnailUrl).toBeNull();
  });

  test("deleting a document or its part removes its thumbnails", async () => {
    const part = await newPart(t);
    const doc = await uploadOk(t, part.id, await makePng(64, 48));
    const other = await uploadOk(t, part.id, await makePng(64, 48));
    expect((await thumbnailJobOf(t, doc.id)).status).toBe("succeeded");
    expect((await thumbnailJobOf(t, other.id)).status).toBe("succeeded");
    const keysOf = async (id: string) =>
      (await storedKeys(t, "images")).filter((key) => key.startsWith(id));
    expect(await keysOf(doc.id)).toEqual([
      `${doc.id}.md.webp`,
      `${doc.id}.png`,
      `${doc.id}.sm.webp`,
    ]);

    expect((await t.request("DELETE", `/api/v1/documents/${doc.id}`)).status).toBe(204);
    expect(await keysOf(doc.id)).toEqual([]);
    // The other image became the cover, with its thumbnail.
    const readPart = await t.request<PartDto>("GET", `/api/v1/parts/${part.id}`);
    expect(readPart.body.thumbnailUrl).toBe(`/api/v1/documents/${other.id}/thumbnail?size=sm`);

    expect((await t.request("DELETE", `/api/v1/parts/${part.id}`)).status).toBe(204);
    expect(await keysOf(other.id)).toEqual([]);
  });

  test("PDFs have no thumbnails and no thumbnail job", async () => {
    const part = await newPart(t);
    const pdf = await uploadOk(t, part.id, Buffer.from("%PDF-1.4\n%%EOF\n"));
    const res = await t.request<ProblemBody>(
      "GET",
      `/api/v1/documents/${pdf.id}/thumbnail?size=sm`,
    );
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("documents.not_an_image");
    await expect(thumbnailJobOf(t, pdf.id)).rejects.toThrow("no thumbnail job");
  });
});

describe("thumbnail jobs that wait", () => {
  let idle: TestApp;
  beforeAll(async () => {
    idle = await createTestApp({ jobs: false });
  }, 60_000);
  afterAll(() => idle.close());

  test("404 and a null thumbnailUrl before the job ran; a document deleted meanwhile is skipped", async () => {
    const part = await newPart(idle);
    const kept = await uploadOk(idle, part.id, await makePng(64, 48));
    const gone = await uploadOk(idle, part.id, await makePng(64, 48));
    expect(kept.thumbnailUrl).toBeNull();
    const res = await idle.request<ProblemBody>(
      "GET",
      `/api/v1/documents/${kept.id}/thumbnail?size=sm`,
    );
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("documents.thumbnail_not_found");
    expect((await idle.request<PartDto>("GET", `/api/v1/parts/${part.id}`)).body.thumbnailUrl).toBe(
      null,
    );
    expect((await idle.request("DELETE", `/api/v1/documents/${gone.id}`)).status).toBe(204);

    const runtime = await startJobRuntime(idle.deps, {
      role: "api",
      kinds: jobKinds,
      tasks: maintenanceTasks,
    });
    try {
      expect(await thumbnailJobOf(idle, gone.id)).toMatchObject({
        status: "succeeded",
        attempts: 1,
        result: { skipped: "document deleted" },
      });
      expect((await thumbnailJobOf(idle, kept.id)).status).toBe("succeeded");
    } finally {
      await runtime.stop(5000);
    }
    const keys = await storedKeys(idle, "images");
    expect(keys.filter((key) => key.startsWith(gone.id))).toEqual([]);
    expect(keys.filter((key) => key.startsWith(kept.id))).toHaveLength(3);
  });
});

// The real S3 client against a real S3 server (the test's, else s3rver on loopback) behind
// a TCP proxy this test cuts: no stand-in for our storage.
describe("S3 down while thumbnails are made", () => {
  test("retried with backoff and made once S3 is back; failed with the error kept when it stays down", async () => {
    const local = testS3 ? undefined : await startS3rver();
    const server = testS3 ?? local!.server;
    const endpoint = new URL(server.endpoint);
    const proxy = await startTcpProxy({
      host: endpoint.hostname,
      port: Number(endpoint.port || 80),
    });
    const viaProxy = new URL(server.endpoint);
    viaProxy.port = String(proxy.port);
    const storage = await createTestStorage({ ...server, endpoint: viaProxy.origin });
    // The uploads land while S3 answers; the jobs only start once it is gone.
    const app = await createTestApp({
      env: { JOB_MAX_ATTEMPTS: "3", JOB_RETRY_DELAYS_MS: "300,600" },
      deps: { storage: storage.storage },
      jobs: false,
    });
    const runtime = {
      current: undefined as Awaited<ReturnType<typeof startJobRuntime>> | undefined,
    };
    try {
      const part = await newPart(app);
      const comesBack = await uploadOk(app, part.id, await makePng(64, 48));
      await proxy.cut();
      runtime.current = await startJobRuntime(app.deps, {
        role: "api",
        kinds: jobKinds,
        tasks: [],
      });
      const [first] = await app.deps.db
        .select({ id: jobsTable.id })
        .from(jobsTable)
        .where(sql`${jobsTable.payload}->>'documentId' = ${comesBack.id}`);
      // First attempt fails on S3 and the job waits for its retry, its error kept.
      for (let i = 0; i < 200; i++) {
        const job = await app.request<{ attempts: number; error: string | null }>(
          "GET",
          `/api/v1/jobs/${first!.id}`,
        );
        if (job.body.attempts >= 1 && job.body.error) break;
        await Bun.sleep(25);
      }
      await proxy.restore();
      const recovered = await thumbnailJobOf(app, comesBack.id);
      expect(recovered.status).toBe("succeeded");
      expect(recovered.attempts).toBeGreaterThanOrEqual(2);
      expect((await fetchThumbnail(app, comesBack.id, "sm")).res.status).toBe(200);

      await runtime.current.stop(1000);
      const staysDown = await uploadOk(app, part.id, await makePng(64, 48));
      await proxy.cut();
      runtime.current = await startJobRuntime(app.deps, {
        role: "api",
        kinds: jobKinds,
        tasks: [],
      });
      const failed = await thumbnailJobOf(app, staysDown.id);
      expect(failed).toMatchObject({ status: "failed", attempts: 3 });
      expect(failed.error).toContain("unavailable");
    } finally {
      await runtime.current?.stop(1000);
      await proxy.restore().catch(() => {});
      await app.close();
      await storage.cleanup().catch(() => {});
      await proxy.close();
      await local?.stop();
    }
  }, 90_000);
});
