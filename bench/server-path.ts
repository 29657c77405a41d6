// bun run bench:server-path — the API over three server paths, side by side in one run
// (bench/server-path-server.ts): the bridge src/main.ts runs (src/platform/http-server.ts
// over Bun's node:http), @hono/node-server's request listener over Bun's node:http, and
// Bun.serve (downloads answered as a sized file slice, since it drops a stream's length).
// Measures, on PostgreSQL and the directory storage:
// - what a client sees on the wire for a streamed download: Content-Length, Range, HEAD;
// - a 600 MB download read slowly (BENCH_READ_MBPS, default 50 MB/s, with a 2 s stall):
//   server RSS above its level before the download (backpressure keeps it flat);
// - server CPU per request and req/s at 16 connections for four requests.
// Rounds alternate between the three paths (their order rotating), so a slower minute of
// this shared machine weighs on all alike. BENCH_DATABASE=<name> reuses a seeded database.
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { makePdf } from "../test/support/documents";
import {
  cpuMsOf,
  dropDatabase,
  fmt,
  memoryBytesOf,
  type Started,
  seededDatabase,
  startProcess,
} from "./support";

const PATHS = ["bridge", "hono-node", "bun-serve"] as const;
type PathName = (typeof PATHS)[number];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const DOWNLOAD_MB = Number(process.env.BENCH_DOWNLOAD_MB ?? 600);
const DOWNLOAD_ROUNDS = Number(process.env.BENCH_DOWNLOAD_ROUNDS ?? 2);
const READ_MBPS = Number(process.env.BENCH_READ_MBPS ?? 50);
const CONNECTIONS = 16;
const MB = 1024 * 1024;

const { name, url, kept } = await seededDatabase("sp", 5_000);
const admin = postgres(url, { max: 1, onnotice: () => {} });
const ids = (await admin<{ id: string }[]>`select id from parts order by random() limit 2000`).map(
  (row) => row.id,
);
const randomId = () => ids[Math.floor(Math.random() * ids.length)]!;

const dataDir = mkdtempSync(join(tmpdir(), "inv-bench-sp-"));
const env = {
  DATABASE_URL: url,
  DATA_DIR: dataDir,
  LOG_LEVEL: "info",
  MAX_UPLOAD_BYTES: String((DOWNLOAD_MB + 10) * MB),
};
const servers = {} as Record<PathName, Started>;
for (const path of PATHS) {
  servers[path] = await startProcess(["bun", "bench/server-path-server.ts"], {
    ...env,
    SERVER_PATH: path,
  });
}
const pidOf = (path: PathName) => servers[path].process.pid;

// --- documents: a 3 MB PDF held here for byte comparisons, and a large one streamed up.
const BOUNDARY = "----server-path-bench";
function uploadStreamed(base: string, partId: string, chunks: () => Iterable<Uint8Array>) {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\n` +
      "Content-Type: application/pdf\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  let length = head.length + tail.length;
  for (const chunk of chunks()) length += chunk.byteLength;
  return new Promise<string>((resolve, reject) => {
    const req = httpRequest(
      `${base}/api/v1/parts/${partId}/documents`,
      {
        method: "POST",
        headers: {
          "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
          "Content-Length": String(length),
        },
      },
      (res) => {
        const body: Buffer[] = [];
        res.on("data", (chunk: Buffer) => body.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(body).toString("utf8");
          if (res.statusCode !== 201) reject(new Error(`upload: ${res.statusCode} ${text}`));
          else resolve((JSON.parse(text) as { contentUrl: string }).contentUrl);
        });
      },
    );
    req.on("error", reject);
    (async () => {
      for (const chunk of [head, ...chunks(), tail]) {
        if (!req.write(chunk)) await new Promise((drained) => req.once("drain", drained));
      }
      req.end();
    })().catch(reject);
  });
}
const small = makePdf(3 * MB);
const filler = makePdf(MB - 200);
const largeChunks = () => Array.from({ length: DOWNLOAD_MB }, () => filler);
const largeSize = filler.length * DOWNLOAD_MB;
const base0 = servers.bridge.url;
const smallPath = await uploadStreamed(base0, randomId(), () => [small]);
const largePath = await uploadStreamed(base0, randomId(), largeChunks);

interface WireResponse {
  statusLine: string;
  headers: Map<string, string>;
  body: Buffer;
}
function parseHead(raw: Buffer, split: number) {
  const [statusLine = "", ...lines] = raw.subarray(0, split).toString("latin1").split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { statusLine, headers };
}
function requestBytes(method: string, path: string, headers: Record<string, string>) {
  const lines = Object.entries({ Host: "127.0.0.1", Connection: "close", ...headers });
  return `${method} ${path} HTTP/1.1\r\n${lines.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
}
/** One request over a raw socket; the response as it came off the wire. */
function rawRequest(port: number, method: string, path: string, headers = {}) {
  return new Promise<WireResponse>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf("\r\n\r\n");
      resolve({ ...parseHead(raw, split), body: raw.subarray(split + 4) });
    });
    socket.write(requestBytes(method, path, headers));
  });
}
const portOf = (path: PathName) => Number(new URL(servers[path].url).port);

// --- 1. streamed downloads on the wire
const wire: Record<PathName, Record<string, string>> = {} as never;
for (const path of PATHS) {
  const port = portOf(path);
  const whole = await rawRequest(port, "GET", smallPath);
  const part = await rawRequest(port, "GET", smallPath, { Range: "bytes=1000-1999999" });
  const head = await rawRequest(port, "HEAD", smallPath);
  const framing = (r: WireResponse) =>
    r.headers.has("content-length")
      ? `Content-Length ${r.headers.get("content-length")}`
      : r.headers.get("transfer-encoding") === "chunked"
        ? "chunked, no length"
        : "no length";
  wire[path] = {
    "GET 3 MB": `${whole.statusLine.slice(9, 12)} ${framing(whole)}${whole.headers.get("transfer-encoding") ? "" : whole.body.equals(small) ? ", bytes equal" : ", BYTES DIFFER"}`,
    "Range 1000-1999999": `${part.statusLine.slice(9, 12)} ${framing(part)}${part.headers.get("transfer-encoding") ? "" : part.body.equals(small.subarray(1000, 2_000_000)) ? ", bytes equal" : ", BYTES DIFFER"}`,
    HEAD: `${head.statusLine.slice(9, 12)} ${framing(head)}`,
  };
}

// --- 2. the large download, read slowly, server RSS sampled meanwhile
interface DownloadResult {
  seconds: number;
  bytes: number;
  length: string | undefined;
  rssBeforeMb: number;
  rssPeakAboveMb: number;
  cpuMs: number;
}
function slowDownload(path: PathName) {
  const pid = pidOf(path);
  const rssBefore = memoryBytesOf(pid, "VmRSS");
  const cpuBefore = cpuMsOf(pid);
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memoryBytesOf(pid, "VmRSS"));
  }, 50);
  const started = performance.now();
  const bytesPerMs = (READ_MBPS * MB) / 1000;
  return new Promise<DownloadResult>((resolve, reject) => {
    const socket = connect(portOf(path), "127.0.0.1");
    let head = Buffer.alloc(0);
    let length: string | undefined;
    let body = -1;
    let stalled = false;
    let pausedFor = 0;
    socket.on("data", (chunk: Buffer) => {
      if (body < 0) {
        head = Buffer.concat([head, chunk]);
        const split = head.indexOf("\r\n\r\n");
        if (split < 0) return;
        length = parseHead(head, split).headers.get("content-length");
        body = head.length - split - 4;
      } else body += chunk.length;
      // A reader that stops for 2 s at 100 MB, then goes on at READ_MBPS.
      let wait = body / bytesPerMs - (performance.now() - started - pausedFor);
      if (!stalled && body > 100 * MB) {
        stalled = true;
        pausedFor = 2000;
        wait += 2000;
      }
      if (wait > 5) {
        socket.pause();
        setTimeout(() => socket.resume(), wait);
      }
    });
    socket.on("error", reject);
    socket.on("end", () => {
      clearInterval(sampler);
      resolve({
        seconds: (performance.now() - started) / 1000,
        bytes: body,
        length,
        rssBeforeMb: rssBefore / MB,
        rssPeakAboveMb: (peak - rssBefore) / MB,
        cpuMs: cpuMsOf(pid) - cpuBefore,
      });
    });
    socket.write(requestBytes("GET", largePath, {}));
  });
}
const downloads: Record<PathName, DownloadResult[]> = {
  bridge: [],
  "hono-node": [],
  "bun-serve": [],
};
for (let round = 0; round < DOWNLOAD_ROUNDS; round++) {
  for (const path of rotate(round)) downloads[path].push(await slowDownload(path));
}

// --- 3. req/s and server CPU per request
const typesBody = JSON.stringify({ name: "" });
const LOADS = [
  { label: "GET /health", status: 200, request: () => ({ path: "/health" }) },
  {
    label: "GET /api/v1/parts/{id}",
    status: 200,
    request: () => ({ path: `/api/v1/parts/${randomId()}` }),
  },
  {
    label: "POST /api/v1/types (400, JSON body)",
    status: 400,
    request: () => ({
      path: "/api/v1/types",
      method: "POST" as const,
      headers: { "content-type": "application/json" },
      body: typesBody,
    }),
  },
  {
    label: "GET document, Range 64 KiB (206)",
    status: 206,
    request: () => ({ path: smallPath, headers: { range: "bytes=0-65535" } }),
  },
];
function rotate(round: number): PathName[] {
  return PATHS.map((_, i) => PATHS[(i + round) % PATHS.length]!);
}
async function load(path: PathName, spec: (typeof LOADS)[number], seconds: number) {
  const pid = pidOf(path);
  const before = cpuMsOf(pid);
  const result = await autocannon({
    url: servers[path].url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, ...spec.request() }) }],
  });
  const cpu = cpuMsOf(pid) - before;
  const total = result.requests.total;
  const expected = (result as unknown as Record<string, number>)[`${String(spec.status)[0]}xx`];
  if (result.errors > 0 || expected !== total) {
    throw new Error(`${path} ${spec.label}: ${result.errors} errors, ${expected}/${total} ok`);
  }
  return { rps: total / seconds, cpuPerRequest: cpu / total };
}
type Load = Awaited<ReturnType<typeof load>>;
const loads = LOADS.map(
  () => ({ bridge: [], "hono-node": [], "bun-serve": [] }) as Record<PathName, Load[]>,
);
for (const path of PATHS) for (const spec of LOADS) await load(path, spec, 1);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, spec] of LOADS.entries()) {
    for (const path of rotate(round)) loads[i]![path].push(await load(path, spec, SECONDS));
  }
}

for (const path of PATHS) await servers[path].stop();
await admin.end();
rmSync(dataDir, { recursive: true, force: true });
if (!kept) await dropDatabase(name);

// --- report
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const range = (values: number[], digits: number) =>
  `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
console.log(`\nserver paths: ${PATHS.join(", ")} (bench/server-path-server.ts), PostgreSQL`);
console.log("\n1. streamed download on the wire (3 MB PDF, directory storage)");
for (const check of Object.keys(wire.bridge)) {
  console.log(`  ${check}`);
  for (const path of PATHS) console.log(`    ${path.padEnd(10)} ${wire[path][check]}`);
}
console.log(
  `\n2. ${DOWNLOAD_MB} MB (${largeSize} B) download, reader at ${READ_MBPS} MB/s with a 2 s stall at 100 MB, ${DOWNLOAD_ROUNDS} rounds`,
);
for (const path of PATHS) {
  const runs = downloads[path];
  const ok = runs.every((r) => r.bytes === largeSize && r.length === String(largeSize));
  console.log(
    `  ${path.padEnd(10)} RSS above before ${range(
      runs.map((r) => r.rssPeakAboveMb),
      0,
    )} MB (before ${range(
      runs.map((r) => r.rssBeforeMb),
      0,
    )} MB), ${range(
      runs.map((r) => r.seconds),
      1,
    )} s, server CPU ${range(
      runs.map((r) => r.cpuMs),
      0,
    )} ms, ${ok ? "all bytes, Content-Length sent" : `bytes ${runs.map((r) => r.bytes).join("/")}, Content-Length ${runs.map((r) => r.length ?? "none").join("/")}`}`,
  );
}
console.log(
  `\n3. ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s; medians (range), ratio to the bridge from medians`,
);
for (const [i, spec] of LOADS.entries()) {
  console.log(`  ${spec.label}`);
  const bridge = loads[i]!.bridge;
  for (const path of PATHS) {
    const runs = loads[i]![path];
    const rps = median(runs.map((r) => r.rps));
    const cpu = median(runs.map((r) => r.cpuPerRequest));
    console.log(
      `    ${path.padEnd(10)} ${fmt(rps, 0).padStart(6)} req/s (${range(
        runs.map((r) => r.rps),
        0,
      )}) ×${fmt(rps / median(bridge.map((r) => r.rps)), 2)}   CPU ${fmt(cpu, 3)} ms/req (${range(
        runs.map((r) => r.cpuPerRequest),
        3,
      )}) ×${fmt(cpu / median(bridge.map((r) => r.cpuPerRequest)), 2)}`,
    );
  }
}
