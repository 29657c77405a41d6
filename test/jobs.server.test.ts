// Job events as Server-Sent Events over a real listening server (the bridge src/main.ts
// runs): each event must reach the client as it happens, not when the stream ends.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { enqueueJob } from "../src/modules/jobs/jobs.repo";
import type { Job } from "../src/modules/jobs/jobs.schemas";
import { type HttpServer, serveHttp } from "../src/platform/http-server";
import { createTestApp, type TestApp } from "./support/app";
import { waitForJob } from "./support/jobs";
import { createTestKinds } from "./support/test-jobs";

const kinds = createTestKinds();
let t: TestApp;
let server: HttpServer;
beforeAll(async () => {
  t = await createTestApp({ env: { SSE_HEARTBEAT_SECONDS: "0.4" }, jobs: { kinds: kinds.kinds } });
  server = await serveHttp(t.app.fetch, { port: 0, hostname: "127.0.0.1", idleTimeoutSeconds: 30 });
}, 60_000);
afterAll(async () => {
  await server.stop(false);
  await t.close();
});

interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads an event stream message by message as the bytes arrive. */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end = buffered.indexOf("\n\n");
    while (end >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const message: SseMessage = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) message.comment = line.slice(1).trim();
        const [field, ...rest] = line.split(":");
        const value = rest.join(":").trimStart();
        if (field === "id" || field === "event" || field === "data") message[field] = value;
      }
      yield message;
      end = buffered.indexOf("\n\n");
    }
  }
}

async function openEvents(jobId: string, headers: Record<string, string> = {}) {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/jobs/${jobId}/events`, {
    headers,
  });
  expect(res.status).toBe(200);
  return { res, events: readEvents(res.body!) };
}

/** The next event that is not a heartbeat comment. */
async function nextEvent(events: AsyncGenerator<SseMessage>) {
  for (;;) {
    const { value, done } = await events.next();
    if (done) return undefined;
    if (value.comment === undefined) return { ...value, job: JSON.parse(value.data!) as Job };
  }
}

describe("job events over SSE", () => {
  test("queued → running → progress → succeeded, each as it happens, then the stream ends", async () => {
    // `plans` runs one job at a time: the blocker keeps the target queued until released.
    const blocker = await enqueueJob(t.deps.db, kinds.gated, { gate: "blocker" });
    const target = await enqueueJob(t.deps.db, kinds.gated, { gate: "target" });
    const { res, events } = await openEvents(target.id);
    expect(res.headers.get("content-type")).toStartWith("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");

    const first = await nextEvent(events);
    expect(first).toMatchObject({ event: "status", job: { id: target.id, status: "queued" } });
    kinds.release("blocker");
    const running = await nextEvent(events);
    expect(running).toMatchObject({ event: "status", job: { status: "running" } });
    let current = running!;
    // The handler reports 0.5 right away; it may land in the same read as "running".
    if (current.job.progress !== 0.5) current = (await nextEvent(events))!;
    expect(current.job).toMatchObject({ status: "running", progress: 0.5, step: "halfway" });

    // A quiet stream gets heartbeat comments (0.4 s here, 15 s by default).
    const { value: quiet } = await events.next();
    expect(quiet?.comment).toBe("heartbeat");

    kinds.release("target");
    const end = await nextEvent(events);
    expect(end).toMatchObject({ event: "status", job: { status: "succeeded", progress: 1 } });
    expect(await nextEvent(events)).toBeUndefined();
    await waitForJob(t, blocker.id);

    // Resuming with the last id seen sends nothing new for a finished job: the stream ends.
    const resumed = await openEvents(target.id, { "Last-Event-ID": end!.id! });
    expect(await nextEvent(resumed.events)).toBeUndefined();
    // Resuming from an older state sends the current one.
    const older = await openEvents(target.id, { "Last-Event-ID": running!.id! });
    expect(await nextEvent(older.events)).toMatchObject({ job: { status: "succeeded" } });
  }, 30_000);

  test("a client that goes away closes its stream on the server", async () => {
    const streamsOpen = async () => {
      const text = await (await t.fetch("/metrics")).text();
      return Number(/^job_event_streams_open (\d+)$/m.exec(text)?.[1]);
    };
    const job = await enqueueJob(t.deps.db, kinds.gated, { gate: "never-released" });
    const leaving = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/jobs/${job.id}/events`, {
      signal: leaving.signal,
    });
    await readEvents(res.body!).next();
    expect(await streamsOpen()).toBe(1);
    leaving.abort();
    const deadline = Date.now() + 5000;
    while ((await streamsOpen()) !== 0 && Date.now() < deadline) await Bun.sleep(50);
    expect(await streamsOpen()).toBe(0);
    kinds.release("never-released");
    await waitForJob(t, job.id);
  });

  test("a job that does not exist is 404 before any stream opens", async () => {
    const res = await fetch(
      `http://127.0.0.1:${server.port}/api/v1/jobs/5d2a7e0c-1f3b-4c9a-8e6d-2b7f9a1c0e34/events`,
    );
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toStartWith("application/problem+json");
  });
});
