// bun run bench:documents — a 200 MB PDF uploaded to and downloaded from the API on the
// embedded default (directory storage), streamed on both sides. Prints the server's peak
// RSS over its idle RSS and the transfer rates, with reading the stored file straight from
// disk in the same run as the baseline for downloads.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, startProcess } from "./support";

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
  const status = readFileSync(`/proc/${api.process.pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/** A multipart body generated chunk by chunk: the client never holds the file either. */
function multipartStream(boundary: string) {
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
      } else if (sent < SIZE) {
        const n = Math.min(CHUNK, SIZE - sent);
        sent += n;
        controller.enqueue(n === CHUNK ? chunk : chunk.subarray(0, n));
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
}

try {
  const part = await fetch(`${api.url}/api/v1/parts`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ description: "Bench part" }),
  }).then((res) => res.json() as Promise<{ id: string }>);
  Bun.gc(true);
  const idle = memory();

  const boundary = "----bench-boundary";
  let started = performance.now();
  const created = await fetch(`${api.url}/api/v1/parts/${part.id}/documents`, {
    method: "POST",
    headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    body: multipartStream(boundary),
    duplex: "half",
  } as RequestInit);
  const uploadS = (performance.now() - started) / 1000;
  const doc = (await created.json()) as { id: string; sizeBytes: number; contentUrl: string };
  if (created.status !== 201 || doc.sizeBytes !== SIZE) {
    throw new Error(`upload failed: ${created.status} ${JSON.stringify(doc)}`);
  }
  const afterUpload = memory();

  started = performance.now();
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
    `peak RSS during upload:        ${fmt(afterUpload.peak, 0)} MB (+${fmt(afterUpload.peak - idle.rss, 0)} MB over idle, ${fmt((afterUpload.peak - idle.rss) / SIZE_MB, 2)} × file size)`,
  );
  console.log(`peak RSS after download:       ${fmt(afterDownload.peak, 0)} MB`);
  console.log(`upload:                        ${fmt(SIZE_MB / uploadS, 0)} MB/s`);
  console.log(`download through the API:      ${fmt(SIZE_MB / downloadS, 0)} MB/s`);
  console.log(`read from disk (baseline):     ${fmt(SIZE_MB / diskS, 0)} MB/s (${read} bytes)`);
  console.log(`ratio API download / disk:     ${fmt(diskS / downloadS, 2)}`);
} finally {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
