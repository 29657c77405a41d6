// bun run bench:thumbs [--photos 500] [--rounds 10] [--amqp]
//
// Generated photos (2–12 MP JPEGs, smooth colour fields with grain so they compress like
// photos, a quarter with EXIF orientation 6) go through the whole pipeline: uploaded over
// HTTP → the `documents.thumbnail` job → sm and md WebP in storage, the row updated. Next
// to it, in the same run, sharp alone makes the same thumbnails from the same files in
// this process (read file, the same one-decode rendering, write both WebP files). The two
// sides take turns round by round, so machine noise hits both; each side runs as many
// images at once as the worker (JOB_CONCURRENCY_MEDIA, default: the number of cores).
//
// Embedded by default: one API process with PGlite, directory storage and the in-process
// runner. `--amqp`: PostgreSQL (PG_ADMIN_URL) and RabbitMQ (BENCH_AMQP_URL, default the
// local broker), an API process and a separate worker process (`bun run worker`).
// The job-running process's RSS is sampled every 100 ms over the run.
// The photos are generated once into a cache directory under the system temp directory.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { spawn } from "bun";
import { parseEnv } from "../src/env";
import { renderThumbnails } from "../src/modules/documents/documents.thumbnails";
import { sharp } from "../src/platform/sharp";
import { deleteTestTopology } from "../test/support/amqp";
import {
  cpuMsOf,
  createMigratedDatabase,
  dropDatabase,
  fmt,
  freePort,
  memoryBytesOf,
  type Started,
  startProcess,
} from "./support";

const { values: args } = parseArgs({
  options: {
    photos: { type: "string", default: "500" },
    rounds: { type: "string", default: "10" },
    amqp: { type: "boolean", default: false },
  },
});
const PHOTOS = Number(args.photos);
const ROUNDS = Math.min(Number(args.rounds), PHOTOS);
const PARALLEL = Number(process.env.JOB_CONCURRENCY_MEDIA ?? availableParallelism());
const UPLOADS_IN_FLIGHT = 4;
const MAX_PIXELS = 50_000_000;
const MB = 1024 * 1024;

// ---- photos ----

/** Deterministic sizes: photo i has the same dimensions in every run. */
function photoSize(i: number) {
  const unit = (n: number) => (((Math.sin(i * 12.9898 + n * 78.233) * 43758.5453) % 1) + 1) % 1;
  const megapixels = 2 + 10 * unit(1);
  const aspect = [4 / 3, 3 / 2, 16 / 9, 1][Math.floor(unit(2) * 4)]!;
  const long = Math.round(Math.sqrt(megapixels * 1e6 * aspect));
  const short = Math.round(long / aspect);
  return unit(3) < 0.3 ? { width: short, height: long } : { width: long, height: short };
}

/** A photo-like JPEG: smooth colour fields (upscaled noise) with ±32 grain. */
async function makePhoto(i: number) {
  const { width, height } = photoSize(i);
  const fields = await sharp({
    create: {
      width: Math.ceil(width / 48),
      height: Math.ceil(height / 48),
      channels: 3,
      background: "#808080",
      noise: { type: "gaussian", mean: 128, sigma: 70 },
    },
  })
    .resize(width, height, { kernel: "linear", fit: "fill" })
    .raw()
    .toBuffer();
  const grain = crypto.getRandomValues(new Uint8Array(fields.length));
  for (let k = 0; k < fields.length; k++) {
    const value = fields[k]! + ((grain[k]! & 63) - 32);
    fields[k] = Math.max(0, Math.min(255, value));
  }
  const jpeg = sharp(fields, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 });
  return (i % 4 === 3 ? jpeg.withMetadata({ orientation: 6 }) : jpeg).toBuffer();
}

const photoDir = join(tmpdir(), "inv-bench-thumbs-photos-v1");
mkdirSync(photoDir, { recursive: true });
const photoPath = (i: number) => join(photoDir, `${String(i).padStart(4, "0")}.jpg`);
const cached = new Set(readdirSync(photoDir));
const generateStarted = performance.now();
let generated = 0;
for (let i = 0; i < PHOTOS; i++) {
  if (cached.has(`${String(i).padStart(4, "0")}.jpg`)) continue;
  await Bun.write(photoPath(i), await makePhoto(i));
  generated++;
  if (generated % 50 === 0) console.log(`generated ${generated} photos`);
}
const photos = await Promise.all(
  Array.from({ length: PHOTOS }, async (_, i) => {
    const file = Bun.file(photoPath(i));
    return { path: photoPath(i), bytes: file.size, ...photoSize(i) };
  }),
);
const totalMp = photos.reduce((sum, p) => sum + p.width * p.height, 0) / 1e6;
const totalMb = photos.reduce((sum, p) => sum + p.bytes, 0) / MB;
console.log(
  `${PHOTOS} photos, ${fmt(totalMp / PHOTOS)} MP and ${fmt(totalMb / PHOTOS, 2)} MB on average ` +
    `(${fmt(Math.min(...photos.map((p) => (p.width * p.height) / 1e6)))}–` +
    `${fmt(Math.max(...photos.map((p) => (p.width * p.height) / 1e6)))} MP)` +
    (generated
      ? `; generated ${generated} in ${fmt((performance.now() - generateStarted) / 1000)} s`
      : ""),
);

// ---- processes ----

const dataDir = mkdtempSync(join(tmpdir(), "inv-bench-thumbs-"));
const env: Record<string, string> = {
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
  JOB_CONCURRENCY_MEDIA: String(PARALLEL),
  THUMBNAIL_MAX_PIXELS: String(MAX_PIXELS),
};
let database: { name: string; url: string } | undefined;
let worker: Started | undefined;
if (args.amqp) {
  database = await createMigratedDatabase("thumbs");
  env.DATABASE_URL = database.url;
  env.AMQP_URL = process.env.BENCH_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
  env.AMQP_PREFIX = `inv_bench_thumbs_${Date.now().toString(36)}`;
}
// With RabbitMQ, /ready also wants a worker, which is started next.
const api = await startProcess(
  ["bun", "src/main.ts"],
  env,
  args.amqp ? "/health" : "/ready",
  120_000,
);
if (args.amqp) {
  // The worker is ready once it has registered itself.
  const child = spawn(["bun", "src/worker.ts"], {
    env: { ...process.env, ...env, PORT: String(freePort()), WORKER_METRICS_PORT: "0" },
    stdout: "ignore",
    stderr: "inherit",
  });
  worker = {
    process: child,
    url: "",
    msToReady: 0,
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
    },
  };
  for (let tries = 0; ; tries++) {
    const page = (await (await fetch(`${api.url}/api/v1/jobs?limit=1`)).json()) as {
      workers: unknown[];
    };
    if (page.workers.length > 0) break;
    if (tries > 600) throw new Error("the worker did not register within 60 s");
    await Bun.sleep(100);
  }
}
const runner = worker ?? api;
/** CPU of the server side: the API process, and the worker's when there is one. */
const serverCpuMs = () => cpuMsOf(api.process.pid) + (worker ? cpuMsOf(worker.process.pid) : 0);
/** CPU of this process: the upload client in pipeline rounds, sharp in its own rounds. */
const clientCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const rss: { at: number; mb: number }[] = [];
const sampleRss = () =>
  rss.push({ at: performance.now(), mb: memoryBytesOf(runner.process.pid, "VmRSS") / MB });
const sampler = setInterval(sampleRss, 100);

async function json<T>(res: Response): Promise<T> {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body as T;
}

async function jobsIn(status: string, limit = 1) {
  const page = await json<{ items: { createdAt: string; finishedAt: string | null }[] }>(
    await fetch(`${api.url}/api/v1/jobs?kind=documents.thumbnail&status=${status}&limit=${limit}`),
  );
  return page.items;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

// ---- the two sides ----

async function pipelineRound(batch: typeof photos) {
  const part = await json<{ id: string }>(
    await fetch(`${api.url}/api/v1/parts`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ description: "Bench photos" }),
    }),
  );
  const cpuBefore = serverCpuMs();
  const clientBefore = clientCpuMs();
  const started = performance.now();
  await pool(batch, UPLOADS_IN_FLIGHT, async (photo) => {
    const form = new FormData();
    form.append("file", Bun.file(photo.path), "photo.jpg");
    await json(
      await fetch(`${api.url}/api/v1/parts/${part.id}/documents`, { method: "POST", body: form }),
    );
  });
  const uploaded = performance.now() - started;
  // Polled slowly: on the embedded default every poll costs the process making thumbnails.
  while ((await jobsIn("queued")).length + (await jobsIn("running")).length > 0) {
    await Bun.sleep(250);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = serverCpuMs() - cpuBefore;
  const clientCpu = clientCpuMs() - clientBefore;
  const failed = await jobsIn("failed");
  if (failed.length > 0) throw new Error(`thumbnail jobs failed: ${JSON.stringify(failed)}`);
  return { seconds, uploadSeconds: uploaded / 1000, cpuMs: cpu, clientCpuMs: clientCpu };
}

const outDir = join(dataDir, "sharp-alone");
mkdirSync(outDir);
async function sharpRound(batch: typeof photos, round: number) {
  const cpuBefore = clientCpuMs();
  const started = performance.now();
  let n = 0;
  await pool(batch, PARALLEL, async (photo) => {
    const input = Buffer.from(await Bun.file(photo.path).arrayBuffer());
    const made = await renderThumbnails(input, MAX_PIXELS);
    const name = `${round}-${n++}`;
    await Bun.write(join(outDir, `${name}.sm.webp`), made.sm.data);
    await Bun.write(join(outDir, `${name}.md.webp`), made.md.data);
  });
  return { seconds: (performance.now() - started) / 1000, cpuMs: clientCpuMs() - cpuBefore };
}

// ---- run ----

const perRound = Math.ceil(PHOTOS / ROUNDS);
const rounds: {
  photos: number;
  pipeline: number;
  upload: number;
  alone: number;
  serverCpuMs: number;
  clientCpuMs: number;
  aloneCpuMs: number;
  rssAfter: number;
}[] = [];
try {
  // Warm-up: one photo each way (JIT, first connections), not counted.
  await pipelineRound(photos.slice(0, 1));
  await sharpRound(photos.slice(0, 1), -1);
  sampleRss();
  const rssStart = rss.at(-1)!.mb;
  for (let r = 0; r < ROUNDS; r++) {
    const batch = photos.slice(r * perRound, (r + 1) * perRound);
    if (batch.length === 0) break;
    // Alternate which side goes first.
    const first = r % 2 === 0 ? "pipeline" : "alone";
    let pipeline = { seconds: 0, uploadSeconds: 0, cpuMs: 0, clientCpuMs: 0 };
    let alone = { seconds: 0, cpuMs: 0 };
    if (first === "pipeline") {
      pipeline = await pipelineRound(batch);
      alone = await sharpRound(batch, r);
    } else {
      alone = await sharpRound(batch, r);
      pipeline = await pipelineRound(batch);
    }
    sampleRss();
    rounds.push({
      photos: batch.length,
      pipeline: pipeline.seconds,
      upload: pipeline.uploadSeconds,
      alone: alone.seconds,
      serverCpuMs: pipeline.cpuMs,
      clientCpuMs: pipeline.clientCpuMs,
      aloneCpuMs: alone.cpuMs,
      rssAfter: rss.at(-1)!.mb,
    });
    const ratio = alone.seconds / pipeline.seconds;
    console.log(
      `round ${r + 1}: ${batch.length} photos, pipeline ${fmt(batch.length / pipeline.seconds)}/s ` +
        `(uploads done at ${fmt(pipeline.uploadSeconds)} s of ${fmt(pipeline.seconds)} s), ` +
        `sharp alone ${fmt(batch.length / alone.seconds)}/s, ratio ${fmt(ratio, 2)}; CPU per photo: ` +
        `server ${fmt(pipeline.cpuMs / batch.length, 0)} + upload client ${fmt(pipeline.clientCpuMs / batch.length, 0)} ms, ` +
        `sharp alone ${fmt(alone.cpuMs / batch.length, 0)} ms; ` +
        `${runner === api ? "API" : "worker"} RSS ${fmt(rss.at(-1)!.mb, 0)} MB`,
    );
  }
  clearInterval(sampler);

  const done = rounds.reduce((sum, r) => sum + r.photos, 0);
  const pipelineSeconds = rounds.reduce((sum, r) => sum + r.pipeline, 0);
  const aloneSeconds = rounds.reduce((sum, r) => sum + r.alone, 0);
  const ratios = rounds.map((r) => r.alone / r.pipeline).sort((a, b) => a - b);
  const runRss = rss.filter((sample) => sample.mb > 0).map((sample) => sample.mb);
  const after = rounds.map((r) => r.rssAfter);
  console.log(
    `\n${args.amqp ? "RabbitMQ + worker process, PostgreSQL" : "embedded (PGlite, in-process runner)"}, ${PARALLEL} images at a time, directory storage`,
  );
  console.log(
    `pipeline:    ${done} photos in ${fmt(pipelineSeconds)} s = ${fmt(done / pipelineSeconds)} photos/s (${fmt((done / pipelineSeconds) * (totalMp / PHOTOS))} MP/s)`,
  );
  console.log(
    `sharp alone: ${done} photos in ${fmt(aloneSeconds)} s = ${fmt(done / aloneSeconds)} photos/s`,
  );
  const perPhoto = (key: "serverCpuMs" | "clientCpuMs" | "aloneCpuMs") =>
    fmt(rounds.reduce((sum, r) => sum + r[key], 0) / done, 0);
  console.log(
    `CPU per photo: server ${perPhoto("serverCpuMs")} ms (+ ${perPhoto("clientCpuMs")} ms in the upload client), sharp alone ${perPhoto("aloneCpuMs")} ms`,
  );
  console.log(
    `ratio pipeline/sharp: ${fmt(aloneSeconds / pipelineSeconds, 2)} overall, per round ${fmt(ratios[0]!, 2)}–${fmt(ratios.at(-1)!, 2)} (median ${fmt(ratios[Math.floor(ratios.length / 2)]!, 2)}); target ≥ 0.70`,
  );
  console.log(
    `${runner === api ? "API" : "worker"} RSS: ${fmt(rssStart, 0)} MB after warm-up; after each round ${after.map((mb) => fmt(mb, 0)).join(", ")} MB; ` +
      `range over the run ${fmt(Math.min(...runRss), 0)}–${fmt(Math.max(...runRss), 0)} MB, peak (VmHWM) ${fmt(memoryBytesOf(runner.process.pid, "VmHWM") / MB, 0)} MB`,
  );
  const half = Math.floor(after.length / 2);
  if (half > 0) {
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    console.log(
      `RSS drift: mean after the first half of the rounds ${fmt(mean(after.slice(0, half)), 0)} MB, second half ${fmt(mean(after.slice(half)), 0)} MB`,
    );
  }
} finally {
  clearInterval(sampler);
  await worker?.stop();
  await api.stop();
  if (database) await dropDatabase(database.name);
  if (env.AMQP_URL && env.AMQP_PREFIX) {
    await deleteTestTopology(env.AMQP_PREFIX, parseEnv(env).JOB_RETRY_DELAYS_MS, env.AMQP_URL);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
