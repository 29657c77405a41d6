import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { photoForVision } from "../src/modules/ai/ai.photo";
import {
  AnalysisResultSchema,
  DiscoveryResultSchema,
  PhotoIntakeResultSchema,
} from "../src/modules/ai/ai.schemas";
import { expireDraftsTask } from "../src/modules/documents/documents.drafts";
import { DocumentListSchema, DocumentSchema } from "../src/modules/documents/documents.schemas";
import { documentsTable } from "../src/modules/documents/documents.table";
import { type Job, JobSchema } from "../src/modules/jobs/jobs.schemas";
import { jobsTable } from "../src/modules/jobs/jobs.table";
import type { PartDto } from "../src/modules/parts/parts.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { type DatasheetHost, HUGE_BYTES, startDatasheetHost } from "./support/datasheet-host";
import { storedKeys } from "./support/documents";
import { type FakeAnswer, type FakeOpenAi, imagesOf, startFakeOpenAi } from "./support/fake-openai";
import { newPart, typeIdByName } from "./support/inventory";
import { waitForJob } from "./support/jobs";
import { createConformanceChecker, type ObservedResponse } from "./support/openapi-conformance";

let fake: FakeOpenAi;
let site: DatasheetHost;
const siteUrl = (path: string) => `${site.origin}${path}`;
let t: TestApp;
let off: TestApp;

beforeAll(async () => {
  fake = startFakeOpenAi();
  site = await startDatasheetHost();
  t = await createTestApp({
    jobs: {},
    env: {
      OPENAI_API_KEY: "test",
      OPENAI_BASE_URL: fake.url,
      OPENAI_MODEL: "fake-text",
      OPENAI_VISION_MODEL: "fake-vision",
      OPENAI_TIMEOUT_MS: "5000",
      FETCH_ALLOW_HOSTS: `127.0.0.1:${site.port}`,
      MAX_DATASHEET_BYTES: String(25 * 1024 * 1024),
    },
  });
  off = await createTestApp();
}, 60_000);
afterAll(async () => {
  await Promise.all([t?.close(), off?.close()]);
  await Promise.all([fake?.close(), site?.stop()]);
});

const relayAnswer = (typeName = "relay", confidence = 0.9): FakeAnswer => ({
  json: {
    tags: ["relay", " 5V ", "RELAY", "x".repeat(80), "", "SPST"],
    type: { name: typeName, confidence },
    attributes: {
      manufacturer: "OMRON",
      package: "THT",
      mountingType: "through-hole",
      pinCount: 4.5,
      voltageRating: "5 V",
    },
  },
});

async function accepted(res: { status: number; headers: Headers; body: unknown }, kind: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const job = JobSchema.parse(res.body);
  expect(job.kind).toBe(kind);
  expect(res.headers.get("Location")).toBe(`/api/v1/jobs/${job.id}`);
  return job;
}

async function analyze(partId: string, body?: unknown) {
  const res = await t.request("POST", `/api/v1/parts/${partId}/ai/analyze`, body);
  return accepted(res, "ai.analyze");
}

async function getPart(app: TestApp, id: string) {
  return (await app.request<PartDto>("GET", `/api/v1/parts/${id}`)).body;
}

/** Waits for the job, noting every step it reported on the way. */
async function waitWithSteps(id: string) {
  const steps: string[] = [];
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = (await t.request<Job>("GET", `/api/v1/jobs/${id}`)).body;
    if (job.step && steps.at(-1) !== job.step) steps.push(job.step);
    if (job.status === "succeeded" || job.status === "failed") return { job, steps };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await Bun.sleep(10);
  }
}

describe("analyze a part", () => {
  test("suggests tags, a type and attributes, normalised, without changing the part", async () => {
    const relayId = await typeIdByName(t, "Relay");
    const part = await newPart(t, {
      description: "Relay 5 V SPST 5 A",
      manufacturerCode: "G5Q-1A4",
    });
    fake.queue("part_analysis", relayAnswer());
    const job = await analyze(part.id);
    const done = await waitForJob(t, job.id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const result = AnalysisResultSchema.parse(done.result);
    expect(result).toEqual({
      suggestions: {
        // Trimmed, de-duplicated ignoring case, empty and over-long tags dropped.
        tags: ["relay", "5V", "SPST"],
        type: { typeId: relayId, name: "Relay", confidence: 0.9 },
        // A pin count of 4.5 is no pin count.
        attributes: {
          package: "THT",
          mountingType: "through-hole",
          pinCount: null,
          voltageRating: "5 V",
          manufacturer: "OMRON",
        },
      },
      applied: null,
    });
    expect(await getPart(t, part.id)).toEqual(part);
    const sent = fake.requestsFor("part_analysis").at(-1)!;
    expect(sent.model).toBe("fake-text");
    expect(JSON.stringify(sent.messages)).toContain("G5Q-1A4");
    expect(JSON.stringify(sent.messages)).toContain("Microcontroller");
    expect(sent.response_format?.json_schema?.strict).toBe(true);
  });

  test("apply: tags merged, only empty fields filled, the type set; applied says exactly that", async () => {
    const relayId = await typeIdByName(t, "Relay");
    const part = await newPart(t, {
      description: "Relay 5 V",
      tags: ["bench", "Relay"],
      manufacturer: "Panasonic",
      voltageRating: "12 V",
    });
    fake.queue("part_analysis", relayAnswer());
    const done = await waitForJob(t, (await analyze(part.id, { apply: true })).id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const { applied } = AnalysisResultSchema.parse(done.result);
    expect(applied).toEqual({
      tags: ["bench", "Relay", "5V", "SPST"],
      typeId: relayId,
      package: "THT",
      mountingType: "through-hole",
    });
    const after = await getPart(t, part.id);
    expect(after).toMatchObject({
      tags: ["bench", "Relay", "5V", "SPST"],
      typeId: relayId,
      typeName: "Relay",
      manufacturer: "Panasonic",
      voltageRating: "12 V",
      package: "THT",
      mountingType: "through-hole",
      pinCount: null,
    });
    // A second run finds nothing left to fill.
    fake.queue("part_analysis", relayAnswer());
    const again = await waitForJob(t, (await analyze(part.id, { apply: true })).id);
    expect(AnalysisResultSchema.parse(again.result).applied).toEqual({});
  });

  test("a type the model invents is only a suggestion: low confidence, no id, not applied", async () => {
    const types = (await t.request<{ items: unknown[] }>("GET", "/api/v1/types")).body.items.length;
    const part = await newPart(t, { description: "Time circuit" });
    fake.queue("part_analysis", relayAnswer("Flux Capacitor", 0.95));
    const done = await waitForJob(t, (await analyze(part.id, { apply: true })).id);
    const result = AnalysisResultSchema.parse(done.result);
    expect(result.suggestions.type).toEqual({
      typeId: null,
      name: "Flux Capacitor",
      confidence: 0.3,
    });
    expect(result.applied).not.toHaveProperty("typeId");
    expect((await getPart(t, part.id)).typeId).toBeNull();
    const after = (await t.request<{ items: unknown[] }>("GET", "/api/v1/types")).body.items;
    expect(after.length).toBe(types);
  });

  test.each([
    ["malformed JSON", { raw: '{"tags": ["relay"' }, "not the expected JSON"],
    ["JSON of another shape", { raw: '{"tags": "relay"}' }, "not the expected JSON"],
    [
      "a refusal",
      { refusal: "I cannot help with that." },
      "The AI model refused: I cannot help with that.",
    ],
    [
      "an answer cut off",
      { raw: "{", finishReason: "length" as const },
      "cut off at its token limit",
    ],
    ["a 400", { status: 400 }, "The AI service answered 400"],
  ])(
    "%s fails the job at once with a clear error; the part is untouched",
    async (_, answer, message) => {
      const part = await newPart(t, { description: "Untouched part", tags: ["keep"] });
      const before = fake.requestsFor("part_analysis").length;
      fake.queue("part_analysis", answer);
      const done = await waitForJob(t, (await analyze(part.id, { apply: true })).id);
      expect(done.status).toBe("failed");
      expect(done.attempts).toBe(1);
      expect(done.error).toContain(message);
      expect(fake.requestsFor("part_analysis").length - before).toBe(1);
      expect(await getPart(t, part.id)).toEqual(part);
    },
  );

  test("429 then success: the SDK retries and the job succeeds on its first attempt", async () => {
    const part = await newPart(t, { description: "Relay again" });
    const before = fake.requestsFor("part_analysis").length;
    fake.queue("part_analysis", { status: 429 }, relayAnswer());
    const done = await waitForJob(t, (await analyze(part.id)).id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(done.attempts).toBe(1);
    expect(fake.requestsFor("part_analysis").length - before).toBe(2);
  });

  test("5xx past the SDK's retries fails the attempt only: the job's retry succeeds", async () => {
    const part = await newPart(t, { description: "Relay, busy server" });
    // The SDK tries three times (maxRetries 2), then the job retries after its delay.
    fake.queue("part_analysis", { status: 503 }, { status: 503 }, { status: 503 }, relayAnswer());
    const done = await waitForJob(t, (await analyze(part.id)).id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(done.attempts).toBe(2);
  });

  test("unknown part 404, bad body 400, no job", async () => {
    const jobs = await jobCount(t);
    const missing = await t.request<ProblemBody>("POST", "/api/v1/parts/ZZZZ/ai/analyze");
    expect(missing.status).toBe(404);
    const part = await newPart(t);
    const bad = await t.request<ProblemBody>("POST", `/api/v1/parts/${part.id}/ai/analyze`, {
      apply: "yes",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("apply");
    expect(await jobCount(t)).toBe(jobs);
  });
});

async function jobCount(app: TestApp) {
  const [row] = await app.deps.db.select({ n: count() }).from(jobsTable);
  return row!.n;
}

async function documentCount(app: TestApp) {
  const [row] = await app.deps.db.select({ n: count() }).from(documentsTable);
  return row!.n;
}

describe("datasheet discovery", () => {
  test("tries a refused address, a 404, an HTML page and a 60 MB PDF, then stores the good PDF", async () => {
    const part = await newPart(t, { description: "Relay", manufacturerCode: "G5Q-1A4" });
    const urls = [
      "file:///etc/passwd",
      "http://169.254.169.254/latest/meta-data/",
      siteUrl("/missing"),
      siteUrl("/bot-check"),
      siteUrl("/huge-streamed"),
      siteUrl("/good.pdf"),
      siteUrl("/never/tried.pdf"),
    ];
    fake.queue("datasheet_urls", { json: { urls } });
    const res = await t.request("POST", `/api/v1/parts/${part.id}/datasheets/discover`);
    const { job, steps } = await waitWithSteps((await accepted(res, "ai.discover_datasheet")).id);
    expect(job.status, job.error ?? "").toBe("succeeded");
    const result = DiscoveryResultSchema.parse(job.result);
    // file: is dropped before anything is fetched; the rest in order until the first PDF.
    expect(result.tried.map(({ url, outcome }): [string, string] => [url, outcome])).toEqual([
      [urls[1]!, "refused"],
      [urls[2]!, "not_found"],
      [urls[3]!, "not_pdf"],
      [urls[4]!, "too_large"],
      [urls[5]!, "stored"],
    ]);
    expect(site.sent.get("/huge-streamed") ?? 0).toBeLessThan(HUGE_BYTES);
    expect(steps.some((step) => step.startsWith("fetching"))).toBe(true);
    const docs = DocumentListSchema.parse(
      (await t.request("GET", `/api/v1/parts/${part.id}/documents`)).body,
    );
    expect(docs.items).toHaveLength(1);
    expect(docs.items[0]).toMatchObject({
      id: result.documentId!,
      kind: "pdf",
      partId: part.id,
      sourceUrl: urls[5],
      originalFilename: "good.pdf",
      sizeBytes: site.pdf.length,
      draftExpiresAt: null,
    });
    const content = await t.fetch(`/api/v1/documents/${result.documentId}/content`);
    expect(Buffer.from(await content.arrayBuffer()).equals(site.pdf)).toBe(true);
  }, 60_000);

  test("no URL gives a PDF: documentId null, every attempt listed", async () => {
    const part = await newPart(t, { description: "Obscure part" });
    fake.queue("datasheet_urls", { json: { urls: [siteUrl("/missing")] } });
    const res = await t.request("POST", `/api/v1/parts/${part.id}/datasheets/discover`);
    const done = await waitForJob(t, (await accepted(res, "ai.discover_datasheet")).id);
    expect(DiscoveryResultSchema.parse(done.result)).toEqual({
      documentId: null,
      tried: [{ url: siteUrl("/missing"), outcome: "not_found", detail: expect.any(String) }],
    });
  });
});

async function jpeg(width: number, height: number) {
  return sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .jpeg()
    .toBuffer();
}

function postPhoto(app: TestApp, bytes: Uint8Array, field = "photo") {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type: "image/jpeg" }), "bag.jpg");
  return app.fetch("/api/v1/ai/photo-intake", { method: "POST", body: form });
}

/** Waits until an image document's thumbnails exist (the documents.thumbnail job ran). */
async function thumbnailed(documentId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const doc = DocumentSchema.parse(
      (await t.request("GET", `/api/v1/documents/${documentId}`)).body,
    );
    if (doc.thumbnailUrl) return doc;
    if (Date.now() > deadline) throw new Error(`no thumbnails for ${documentId}`);
    await Bun.sleep(25);
  }
}

describe("photo intake", () => {
  test("photo → draft part and documents → POST /parts claims both", async () => {
    const relayId = await typeIdByName(t, "Relay");
    fake.queue("part_photo", {
      delayMs: 300,
      json: {
        manufacturerCode: "G5Q-1A4",
        manufacturer: "OMRON",
        description: "  Relay 5 V SPST 5 A ",
        type: "Relay",
        tags: ["relay", "5V", "relay"],
        datasheetUrls: [siteUrl("/bot-check"), siteUrl("/good.pdf")],
      },
    });
    const res = await postPhoto(t, await jpeg(4000, 3000));
    const job = await accepted(
      { status: res.status, headers: res.headers, body: await res.json() },
      "ai.photo_intake",
    );
    const { job: done, steps } = await waitWithSteps(job.id);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(steps).toContain("reading the photo with the vision model");
    const result = PhotoIntakeResultSchema.parse(done.result);
    expect(result.draft).toEqual({
      description: "Relay 5 V SPST 5 A",
      manufacturerCode: "G5Q-1A4",
      manufacturer: "OMRON",
      typeId: relayId,
      typeName: "Relay",
      tags: ["relay", "5V"],
    });
    expect(result.documentIds).toHaveLength(2);
    expect(result.datasheet.tried.map((attempt) => attempt.outcome)).toEqual(["not_pdf", "stored"]);

    // The vision model got the photo downscaled, as a JPEG data URL under 2 MiB.
    const sent = fake.requestsFor("part_photo").at(-1)!;
    expect(sent.model).toBe("fake-vision");
    const [image] = imagesOf(sent);
    expect(image).toStartWith("data:image/jpeg;base64,");
    expect(image!.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    const meta = await sharp(Buffer.from(image!.split(",")[1]!, "base64")).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(1600);

    const [photoId, datasheetId] = result.documentIds;
    const photo = DocumentSchema.parse(
      (await t.request("GET", `/api/v1/documents/${photoId}`)).body,
    );
    expect(photo).toMatchObject({ kind: "image", partId: null });
    expect((await thumbnailed(photoId!)).thumbnailUrl).toBe(
      `/api/v1/documents/${photoId}/thumbnail?size=sm`,
    );
    expect(Date.parse(photo.draftExpiresAt!) - Date.now()).toBeGreaterThan(23 * 3600_000);

    const created = await t.request<PartDto>("POST", "/api/v1/parts", {
      ...result.draft,
      description: result.draft.description!,
      typeName: undefined,
      attachDocumentIds: result.documentIds,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.coverDocumentId).toBe(photoId!);
    const docs = DocumentListSchema.parse(
      (await t.request("GET", `/api/v1/parts/${created.body.id}/documents`)).body,
    );
    expect(docs.items.map((doc) => [doc.id, doc.kind, doc.draftExpiresAt])).toEqual(
      expect.arrayContaining([
        [photoId, "image", null],
        [datasheetId, "pdf", null],
      ]),
    );

    // Claimed drafts cannot be claimed again; unknown ids are no drafts. Nothing is created.
    const parts = (await t.request<{ items: unknown[] }>("GET", "/api/v1/parts?limit=200")).body
      .items.length;
    const again = await t.request<ProblemBody>("POST", "/api/v1/parts", {
      description: "Second claim",
      attachDocumentIds: [photoId],
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(created.body.id);
    const unknown = await t.request<ProblemBody>("POST", "/api/v1/parts", {
      description: "Unknown draft",
      attachDocumentIds: ["8f0e7a4e-8d3c-4a57-9d0b-3a7f2c1e5b60"],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.path).toBe("attachDocumentIds.0");
    const repeated = await t.request<ProblemBody>("POST", "/api/v1/parts", {
      description: "Repeated",
      attachDocumentIds: [photoId, photoId],
    });
    expect(repeated.status).toBe(400);
    expect(
      (await t.request<{ items: unknown[] }>("GET", "/api/v1/parts?limit=200")).body.items.length,
    ).toBe(parts);
  }, 60_000);

  test("a photo too big as a data URL is sent smaller and at lower quality until it fits", async () => {
    const width = 2400;
    const height = 1800;
    const noisy = await sharp(randomBytes(width * height * 3), {
      raw: { width, height, channels: 3 },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    // At the real cap (2 MiB) even noise fits at 1,600 px; a smaller cap shows the steps.
    const first = await photoForVision(noisy);
    expect(first.width).toBe(1600);
    const cap = Math.floor(first.url.length / 3);
    const fitted = await photoForVision(noisy, cap);
    expect(fitted.url.length).toBeLessThanOrEqual(cap);
    expect(fitted.width).toBeLessThan(1600);
    expect(fitted.width / fitted.height).toBeCloseTo(width / height, 1);
  }, 60_000);

  test("unclaimed drafts are removed after 24 h with their objects; claimed documents stay", async () => {
    fake.queue("part_photo", {
      json: {
        manufacturerCode: null,
        manufacturer: null,
        description: "",
        type: null,
        tags: [],
        datasheetUrls: [],
      },
    });
    const res = await postPhoto(t, await jpeg(300, 200));
    expect(res.status).toBe(202);
    const done = await waitForJob(t, ((await res.json()) as Job).id);
    const result = PhotoIntakeResultSchema.parse(done.result);
    expect(result.draft.description).toBeNull();
    expect(result.documentIds).toHaveLength(1);
    const [draftId] = result.documentIds;
    // A draft photo is thumbnailed like any image.
    await thumbnailed(draftId!);
    const keysBefore = await storedKeys(t, "images");
    expect(keysBefore.filter((key) => key.startsWith(draftId!))).toHaveLength(3);
    const total = await documentCount(t);

    await expireDraftsTask.run(t.deps);
    expect((await t.request("GET", `/api/v1/documents/${draftId}`)).status).toBe(200);

    await t.deps.db
      .update(documentsTable)
      .set({ draftExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(documentsTable.id, draftId!));
    await expireDraftsTask.run(t.deps);
    expect((await t.request("GET", `/api/v1/documents/${draftId}`)).status).toBe(404);
    expect((await storedKeys(t, "images")).some((key) => key.startsWith(draftId!))).toBe(false);
    expect(await documentCount(t)).toBe(total - 1);
  });

  test("not an image 415, wrong field 400; nothing stored, no job", async () => {
    const jobs = await jobCount(t);
    const docs = await documentCount(t);
    const pdf = await postPhoto(t, site.pdf);
    expect(pdf.status).toBe(415);
    const wrong = await postPhoto(t, await jpeg(10, 10), "file");
    expect(wrong.status).toBe(400);
    expect(await jobCount(t)).toBe(jobs);
    expect(await documentCount(t)).toBe(docs);
  });
});

describe("AI not configured", () => {
  test("every AI endpoint answers 503 at once and creates no job and no document", async () => {
    const part = await newPart(off, { description: "No AI here" });
    const answers = [
      await off.request<ProblemBody>("POST", `/api/v1/parts/${part.id}/ai/analyze`, {
        apply: true,
      }),
      await off.request<ProblemBody>("POST", `/api/v1/parts/${part.id}/datasheets/discover`),
    ];
    const photo = await postPhoto(off, await jpeg(50, 50));
    answers.push({
      status: photo.status,
      headers: photo.headers,
      body: (await photo.json()) as ProblemBody,
    });
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get("Content-Type")).toContain("application/problem+json");
      expect(answer.body.code).toBe("ai.not_configured");
    }
    expect(await jobCount(off)).toBe(0);
    expect(await documentCount(off)).toBe(0);
  });
});

describe("OpenAPI conformance", () => {
  test("the AI routes' answers, and their finished jobs, match the committed document", async () => {
    const document = await Bun.file(new URL("../openapi/openapi.json", import.meta.url)).json();
    const checker = createConformanceChecker(document);
    const observed: ObservedResponse[] = [];
    const call = async (app: TestApp, method: string, path: string, body?: unknown) => {
      const res = await app.request(method, path, body);
      observed.push({
        method,
        path,
        status: res.status,
        contentType: res.headers.get("Content-Type"),
        body: res.body,
      });
      return res;
    };
    const part = await newPart(t, { description: "Documented relay" });
    const analyzePath = `/api/v1/parts/${part.id}/ai/analyze`;
    const discoverPath = `/api/v1/parts/${part.id}/datasheets/discover`;
    fake.queue("part_analysis", relayAnswer());
    fake.queue("datasheet_urls", {
      json: { urls: [siteUrl("/gone"), siteUrl("/good.pdf")] },
    });
    const analysis = await call(t, "POST", analyzePath, { apply: true });
    const discovery = await call(t, "POST", discoverPath);
    fake.queue("part_photo", {
      json: {
        manufacturerCode: null,
        manufacturer: null,
        description: "Relay",
        type: null,
        tags: [],
        datasheetUrls: [],
      },
    });
    const photo = await postPhoto(t, await jpeg(64, 64));
    const photoJob = (await photo.json()) as Job;
    observed.push({
      method: "POST",
      path: "/api/v1/ai/photo-intake",
      status: photo.status,
      contentType: photo.headers.get("Content-Type"),
      body: photoJob,
    });
    // A finished job must match its kind's 202 schema too, result included.
    for (const [path, job] of [
      [analyzePath, analysis.body as Job],
      [discoverPath, discovery.body as Job],
      ["/api/v1/ai/photo-intake", photoJob],
    ] as const) {
      const done = await waitForJob(t, job.id);
      expect(done.status, done.error ?? "").toBe("succeeded");
      observed.push({
        method: "POST",
        path,
        status: 202,
        contentType: "application/json",
        body: done,
      });
    }
    await call(t, "POST", "/api/v1/parts/ZZZZ/ai/analyze");
    await call(off, "POST", `/api/v1/parts/${part.id}/ai/analyze`);
    await call(off, "POST", `/api/v1/parts/${part.id}/datasheets/discover`);
    const problems = observed.flatMap((res) => checker.check(res).problems);
    expect(problems).toEqual([]);
    expect(observed.map((res) => res.status)).toEqual([
      202, 202, 202, 202, 202, 202, 404, 503, 503,
    ]);
  });
});
