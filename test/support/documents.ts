import { expect } from "bun:test";
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { type DocumentDto, DocumentSchema } from "../../src/modules/documents/documents.schemas";
import { type Job, JobSchema } from "../../src/modules/jobs/jobs.schemas";
import { jobsTable } from "../../src/modules/jobs/jobs.table";
import type { BucketName } from "../../src/platform/storage";
import type { TestApp } from "./app";
import { waitForJob } from "./jobs";

/** A small but real PDF with random binary content, so round trips compare every byte value. */
export function makePdf(extraBytes = 2048): Buffer {
  const header = Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1");
  const body = Buffer.from(
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n",
  );
  const filler = Buffer.concat([Buffer.from("% "), randomBytes(extraBytes), Buffer.from("\n")]);
  const trailer = Buffer.from("trailer << /Root 1 0 R >>\n%%EOF\n");
  return Buffer.concat([header, body, filler, trailer]);
}

/** A PNG made by sharp, noisy so it does not compress to nothing. */
export async function makePng(width = 64, height = 48): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

export interface UploadOptions {
  filename?: string;
  title?: string;
  /** The part Content-Type the client claims; the server ignores it. */
  type?: string;
  headers?: Record<string, string>;
}

/** POSTs one file as multipart/form-data, the way a browser form does. */
export function upload(t: TestApp, partId: string, bytes: Uint8Array, options: UploadOptions = {}) {
  const form = new FormData();
  if (options.title !== undefined) form.append("title", options.title);
  form.append(
    "file",
    new Blob([bytes], { type: options.type ?? "application/octet-stream" }),
    options.filename ?? "file.bin",
  );
  return t.app.request(`/api/v1/parts/${partId}/documents`, {
    method: "POST",
    body: form,
    headers: options.headers,
  });
}

/** Uploads and answers the created document, checked against the Document schema. */
export async function uploadOk(
  t: TestApp,
  partId: string,
  bytes: Uint8Array,
  options: UploadOptions = {},
): Promise<DocumentDto> {
  const res = await upload(t, partId, bytes, options);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return DocumentSchema.parse(body);
}

/** A multipart body written by hand, for part headers a FormData cannot produce. */
export function rawMultipart(partHeaders: string[], bytes: Uint8Array) {
  const boundary = `----test${randomBytes(8).toString("hex")}`;
  const head = Buffer.from(`--${boundary}\r\n${partHeaders.join("\r\n")}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    body: Buffer.concat([head, bytes, tail]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Every object key in a bucket of the app's storage. */
export async function storedKeys(t: TestApp, bucket: BucketName): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of t.deps.storage.list(bucket)) keys.push(entry.key);
  return keys.sort();
}

export async function download(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const res = await t.app.request(path, { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The thumbnail job queued with a document's row (read from the jobs table), once done. */
export async function thumbnailJobOf(app: TestApp, documentId: string): Promise<Job> {
  const [row] = await app.deps.db
    .select({ id: jobsTable.id })
    .from(jobsTable)
    .where(
      and(
        eq(jobsTable.kind, "documents.thumbnail"),
        sql`${jobsTable.payload}->>'documentId' = ${documentId}`,
      ),
    );
  if (!row) throw new Error(`no thumbnail job for document ${documentId}`);
  return JobSchema.parse(await waitForJob(app, row.id, { timeoutMs: 30_000 }));
}
