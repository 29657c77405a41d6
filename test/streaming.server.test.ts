// Event streams through the server src/main.ts runs (src/platform/http-server.ts): each
// event reaches the client when it is written, not when the next one follows, and a stream
// quiet for longer than the idle timeout stays open. A small Hono app with `streamSSE`.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { type HttpServer, serveHttp } from "../src/platform/http-server";

/** The server's idle timeout, and an event stream that stays silent for longer. */
const IDLE_TIMEOUT_S = 1;
const QUIET_MS = 2500;

let server: HttpServer;
let releaseSecond: () => void = () => {};
const secondMayGo = () =>
  new Promise<void>((resolve) => {
    releaseSecond = resolve;
  });

beforeAll(async () => {
  const app = new Hono();
  app.get("/events", (c) =>
    streamSSE(c, async (stream) => {
      const wait = secondMayGo();
      await stream.writeSSE({ id: "1", event: "progress", data: '{"done":1}' });
      await wait;
      await stream.writeSSE({ id: "2", event: "progress", data: '{"done":2}' });
    }),
  );
  app.get("/quiet", (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ data: "first" });
      await stream.sleep(QUIET_MS);
      await stream.writeSSE({ data: "after a quiet while" });
    }),
  );
  server = await serveHttp(app.fetch, {
    port: 0,
    hostname: "127.0.0.1",
    idleTimeoutSeconds: IDLE_TIMEOUT_S,
  });
});
afterAll(() => server.stop(false));

/** What a response body reader gives. */
type Chunks = { read(): Promise<{ done: boolean; value?: Uint8Array }> };

/** Reads the body until `text` has arrived; null when it has not within `ms`. */
async function readUntil(reader: Chunks, text: string, ms: number) {
  const decoder = new TextDecoder();
  let seen = "";
  const deadline = Bun.sleep(ms).then(() => null);
  while (!seen.includes(text)) {
    const chunk = await Promise.race([reader.read(), deadline]);
    if (!chunk || chunk.done) return null;
    seen += decoder.decode(chunk.value, { stream: true });
  }
  return seen;
}

test("each server-sent event reaches the client before the next one is written", async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/events`, {
    signal: AbortSignal.timeout(3000),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  expect(res.headers.has("content-length")).toBe(false);
  const reader = res.body!.getReader() as Chunks;
  // The second event is only written once the first has been read here.
  const first = await readUntil(reader, '{"done":1}', 2000);
  expect(first).toContain(`event: progress\ndata: {"done":1}\nid: 1\n\n`);
  releaseSecond();
  const second = await readUntil(reader, '{"done":2}', 2000);
  expect(second).toContain('data: {"done":2}');
  expect((await reader.read()).done).toBe(true);
});

test("a quiet event stream outlives the idle timeout", async () => {
  const res = await fetch(`http://127.0.0.1:${server.port}/quiet`);
  const reader = res.body!.getReader() as Chunks;
  expect(await readUntil(reader, "first", 2000)).toContain("data: first");
  expect(await readUntil(reader, "after a quiet while", QUIET_MS + 2000)).not.toBeNull();
  expect((await reader.read()).done).toBe(true);
});
