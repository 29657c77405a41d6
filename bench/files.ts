// bun run bench:files — uploads and downloads of large PDFs through the API (a real server
// process on PostgreSQL, storing in S3) next to the same transfers done directly with the
// AWS SDK against the same S3 server, in one run. Prints MB/s, the ratio API/direct and
// the server's peak RSS growth during each API transfer.
//
// S3: S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_REGION) as printed by
// a Ceph RGW start script; without them s3rver runs in this process on loopback.
// BENCH_FILE_SIZES_MB (default "100,600") chooses the file sizes.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { connectPostgres } from "../src/platform/db";
import { createS3Client, type S3StorageConfig } from "../src/platform/storage-s3";
import { type LocalS3, startS3rver } from "../test/support/s3rver";
import { createTestStorage } from "../test/support/storage";
import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  fmt,
  memoryBytesOf,
  startProcess,
} from "./support";

const MB = 1024 * 1024;
const SIZES_MB = (process.env.BENCH_FILE_SIZES_MB ?? "100,600").split(",").map(Number);
const RATIO_TARGET = 0.5;
const RSS_TARGET_MB = 128;

// --- S3 server and fresh buckets -------------------------------------------------------
let local: LocalS3 | undefined;
let server: Omit<S3StorageConfig, "buckets">;
if (process.env.S3_ENDPOINT) {
  server = {
    endpoint: process.env.S3_ENDPOINT,
    region: process.env.AWS_REGION || process.env.S3_REGION || "us-east-1",
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "",
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "",
    forcePathStyle: true,
  };
} else {
  local = await startS3rver();
  server = local.server;
}
const s3Name = local ? "s3rver (in the bench process)" : `S3 at ${server.endpoint}`;
const bench = await createTestStorage(server);
const buckets = bench.buckets!;
const client = createS3Client(server);

// --- database and the API server process ------------------------------------------------
const dbName = `inv_bench_files_${Date.now().toString(36)}`;
await createDatabase(dbName);
const database = connectPostgres(databaseUrl(dbName), 1);
await database.migrate();
await database.close();

const largest = Math.max(...SIZES_MB) * MB;
const api = await startProcess([process.execPath, "src/main.ts"], {
  DATABASE_URL: databaseUrl(dbName),
  LOG_LEVEL: "warn",
  S3_ENDPOINT: server.endpoint,
  S3_REGION: server.region,
  AWS_ACCESS_KEY_ID: server.accessKeyId,
  AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
  S3_BUCKET_IMAGES: buckets.images,
  S3_BUCKET_DOCS: buckets.docs,
  MAX_UPLOAD_BYTES: String(largest + MB),
});
const serverPid = api.process.pid;

const serverRssBytes = () => memoryBytesOf(serverPid, "VmRSS");

/** Runs `work` while sampling the server's RSS; answers its duration and peak RSS growth. */
async function measured<T>(work: () => Promise<T>) {
  const before = serverRssBytes();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, serverRssBytes());
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, serverRssBytes());
    return { result, seconds, rssGrowth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

async function sha256Of(body: AsyncIterable<Uint8Array> | Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of body) hash.update(chunk as Uint8Array);
  return hash.digest("hex");
}

/** A file that looks like a PDF: the header, then random bytes. */
async function makePdf(path: string, bytes: number): Promise<string> {
  const out = createWriteStream(path);
  const hash = createHash("sha256");
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => {
      hash.update(chunk);
      out.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  const header = Buffer.from("%PDF-1.7\n");
  await write(header);
  for (let written = header.length; written < bytes; ) {
    const chunk = randomBytes(Math.min(4 * MB, bytes - written));
    await write(chunk);
    written += chunk.length;
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return hash.digest("hex");
}

const partRes = await fetch(`${api.url}/api/v1/parts`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ description: "Bench part with large datasheets" }),
});
if (partRes.status !== 201) throw new Error(`creating a part answered ${partRes.status}`);
const partId = ((await partRes.json()) as { id: string }).id;

async function apiUpload(path: string): Promise<string> {
  const form = new FormData();
  form.append("file", Bun.file(path, { type: "application/pdf" }), "datasheet.pdf");
  const res = await fetch(`${api.url}/api/v1/parts/${partId}/documents`, {
    method: "POST",
    body: form,
  });
  if (res.status !== 201) {
    throw new Error(`POST /parts/{partId}/documents answered ${res.status}: ${await res.text()}`);
  }
  return ((await res.json()) as { id: string }).id;
}

async function apiDownload(id: string): Promise<string> {
  const res = await fetch(`${api.url}/api/v1/documents/${id}/content`);
  if (res.status !== 200 || !res.body) {
    throw new Error(`GET /documents/{id}/content answered ${res.status}`);
  }
  return sha256Of(res.body);
}

async function directUpload(path: string, key: string) {
  await new Upload({
    client,
    params: {
      Bucket: buckets.docs,
      Key: key,
      Body: createReadStream(path),
      ContentType: "application/pdf",
    },
  }).done();
}

async function directDownload(key: string): Promise<string> {
  const out = await client.send(new GetObjectCommand({ Bucket: buckets.docs, Key: key }));
  return sha256Of(out.Body as Readable);
}

interface Row {
  sizeMb: number;
  direction: "upload" | "download";
  apiMbps: number;
  directMbps: number;
  rssGrowthMb: number;
}

const dir = mkdtempSync(join(tmpdir(), "inv-bench-files-"));
const rows: Row[] = [];
let serverRssStartMb = 0;
try {
  // Warm up both paths (code loading, connection pools) with a small file.
  const warm = join(dir, "warm.pdf");
  await makePdf(warm, 2 * MB);
  await apiDownload(await apiUpload(warm));
  await directUpload(warm, "warm.pdf");
  await directDownload("warm.pdf");
  serverRssStartMb = serverRssBytes() / MB;

  for (const sizeMb of SIZES_MB) {
    const path = join(dir, `${sizeMb}.pdf`);
    const bytes = sizeMb * MB;
    const expected = await makePdf(path, bytes);

    const direct = await measured(() => directUpload(path, `direct-${sizeMb}.pdf`));
    const up = await measured(() => apiUpload(path));
    const directGet = await measured(() => directDownload(`direct-${sizeMb}.pdf`));
    const down = await measured(() => apiDownload(up.result));
    for (const [what, hash] of [
      ["API download", down.result],
      ["direct download", directGet.result],
    ]) {
      if (hash !== expected) throw new Error(`${what} of ${sizeMb} MB differs from the upload`);
    }
    rows.push(
      {
        sizeMb,
        direction: "upload",
        apiMbps: sizeMb / up.seconds,
        directMbps: sizeMb / direct.seconds,
        rssGrowthMb: up.rssGrowth / MB,
      },
      {
        sizeMb,
        direction: "download",
        apiMbps: sizeMb / down.seconds,
        directMbps: sizeMb / directGet.seconds,
        rssGrowthMb: down.rssGrowth / MB,
      },
    );
    rmSync(path, { force: true });
  }
} finally {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
  client.destroy();
  await bench.cleanup();
  await local?.stop();
  await dropDatabase(dbName);
}

console.log(`\nFiles through the API vs directly with the AWS SDK — ${s3Name}, 1 MB = 2^20 bytes`);
console.log(`server RSS after warm-up: ${fmt(serverRssStartMb, 0)} MB`);
console.log("size     transfer    API MB/s  direct MB/s  API/direct  server RSS growth");
let ok = true;
for (const row of rows) {
  const ratio = row.apiMbps / row.directMbps;
  const good = ratio >= RATIO_TARGET && row.rssGrowthMb <= RSS_TARGET_MB;
  ok &&= good;
  console.log(
    `${`${row.sizeMb} MB`.padEnd(8)} ${row.direction.padEnd(10)} ${fmt(row.apiMbps).padStart(9)}  ${fmt(row.directMbps).padStart(11)}  ${fmt(ratio, 2).padStart(10)}  ${`${fmt(row.rssGrowthMb, 0)} MB`.padStart(17)}${good ? "" : "  BELOW TARGET"}`,
  );
}
console.log(
  `targets: API/direct ≥ ${RATIO_TARGET}, server RSS growth ≤ ${RSS_TARGET_MB} MB per transfer — ${ok ? "all met" : "NOT all met"}`,
);
