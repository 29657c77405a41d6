// bun run bench:documents — a 50 MB and then a 200 MB PDF uploaded to the API on the
// embedded default (directory storage) and the big one downloaded, streamed on both sides.
// Prints the server's peak RSS after each upload (flat when nothing holds the file) and the
// transfer rates, with reading the stored file straight from disk as the download baseline.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, memoryBytesOf, startProcess } from "./support";

const SIZE_MB = Number(process.env.BENCH_UPLOAD_MB ?? 200);
const SIZE = SIZE_MB * 1024 * 1024;
const CHUNK = 256 * 1024;

const dataDir = mkdtempSync(join(tmpdir(), "inv-bench-docs-"));
const api = await startProcess(
  ["bun", "src/main.ts"],
  { DATA_DIR: dataDir, LOG_LEVEL: "warn", MAX_UPLOAD_BYTES: String(SIZE * 2) },
  "/ready",
  120_000,
);

/** Resident and peak resident memory of the server process, in MB. */
function memory() {
  const mb = (field: "VmRSS" | "VmHWM") => memoryBytesOf(api.process.pid, field) / 1024 / 1024;
  return { rss: mb("VmRSS"), peak: mb("VmHWM") };
}

/** A multipart body generated chunk by chunk: the client never holds the file either. */
function multipartStream(boundary: string, size: number) {
  const head = new TextEncoder().encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
  );
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const chunk = new Uint8Array(CHUNK).fill(0x41);
  let sent = 9;
  let stage = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 0) {
        stage = 1;
        controller.enqueue(head);
      } else if (sent < size) {
        const n = Math.min(CHUNK, size - sent);
        sent += n;
        controller.enqueue(n === CHUNK ? chunk : chunk.subarray(0, n));
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
}

async function uploadOf(partId: string, size: number) {
  const boundary = "----bench-boundary";
  const started = performance.now();
  const created = await fetch(`${api.url}/api/v1/parts/${partId}/documents`, {
    method: "POST",
    headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    body: multipartStream(boundary, size),
    duplex: "half",
  } as RequestInit);
  const seconds = (performance.now() - started) / 1000;
  const doc = (await created.json()) as { id: string; sizeBytes: number; contentUrl: string };
  if (created.status !== 201 || doc.sizeBytes !== size) {
    throw new Error(`upload failed: ${created.status} ${JSON.stringify(doc)}`);
  }
  return { doc, seconds };
}

try {
  const part = await fetch(`${api.url}/api/v1/parts`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ description: "Bench part" }),
  }).then((res) => res.json() as Promise<{ id: string }>);
  Bun.gc(true);
  const idle = memory();

  const small = await uploadOf(part.id, SIZE / 4);
  const afterSmall = memory();
  const big = await uploadOf(part.id, SIZE);
  const doc = big.doc;
  const uploadS = big.seconds;
  const afterUpload = memory();

  let started = performance.now();
  const res = await fetch(`${api.url}${doc.contentUrl}`);
  let received = 0;
  for await (const chunk of res.body!) received += chunk.length;
  const downloadS = (performance.now() - started) / 1000;
  if (received !== SIZE) throw new Error(`downloaded ${received} of ${SIZE} bytes`);
  const afterDownload = memory();

  const stored = Bun.file(join(dataDir, "files", "docs", `${doc.id}.pdf`));
  started = performance.now();
  let read = 0;
  for await (const chunk of stored.stream()) read += chunk.length;
  const diskS = (performance.now() - started) / 1000;

  console.log(`\n${SIZE_MB} MB PDF, embedded default (directory storage)`);
  console.log(`server RSS idle:               ${fmt(idle.rss, 0)} MB`);
  console.log(
    `peak RSS after ${SIZE_MB / 4} MB upload:   ${fmt(afterSmall.peak, 0)} MB (+${fmt(afterSmall.peak - idle.rss, 0)} MB over idle)`,
  );
  console.log(
    `peak RSS after ${SIZE_MB} MB upload:  ${fmt(afterUpload.peak, 0)} MB (+${fmt(afterUpload.peak - idle.rss, 0)} MB over idle; 4× the file: +${fmt(afterUpload.peak - afterSmall.peak, 0)} MB)`,
  );
  console.log(`peak RSS after download:       ${fmt(afterDownload.peak, 0)} MB`);
  console.log(
    `upload (${SIZE_MB} MB):                ${fmt(SIZE_MB / uploadS, 0)} MB/s (${small.doc.sizeBytes + big.doc.sizeBytes} bytes in all)`,
  );
  console.log(`download through the API:      ${fmt(SIZE_MB / downloadS, 0)} MB/s`);
  console.log(`read from disk (baseline):     ${fmt(SIZE_MB / diskS, 0)} MB/s (${read} bytes)`);
  console.log(`ratio API download / disk:     ${fmt(diskS / downloadS, 2)}`);
} finally {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
