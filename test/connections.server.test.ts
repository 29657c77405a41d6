// Keep-alive connections through a real listening server (the bridge src/main.ts runs):
// a request the server refuses, often before reading its body, must never cost the client
// the next request on the same connection. Three kinds of client: Bun's fetch (which does
// not retry a request on a dead keep-alive socket), node:http with a keep-alive Agent, and
// a raw socket writing two pipelined requests. `app.request` never sees any of this.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { DISCARD_LIMIT_BYTES, type HttpServer, serveHttp } from "../src/platform/http-server";
import { createTestApp, type TestApp } from "./support/app";
import { makePdf } from "./support/documents";
import { newPart } from "./support/inventory";

const MAX_UPLOAD_BYTES = 256 * 1024;

let t: TestApp;
let server: HttpServer;
let partId: string;
beforeAll(async () => {
  t = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  server = await serveHttp(t.app.fetch, { port: 0, hostname: "127.0.0.1", idleTimeoutSeconds: 30 });
  partId = (await newPart(t)).id;
}, 120_000);
afterAll(async () => {
  await server.stop(false);
  await t.close();
});

interface Case {
  name: string;
  method: string;
  path: () => string;
  headers: Record<string, string>;
  body: Buffer;
  status: number;
  /**
   * true: the server reads the whole body (or drops a small unread rest) and keeps the
   * socket. false: the rest is too large, the answer says `Connection: close`. "either":
   * refused mid-body, where the outcome depends on how much the server had read ahead (a
   * body already in the socket's buffers is read whole); the answer must still keep its
   * word: keep-alive with a usable socket, or close.
   */
  small: boolean | "either";
}

const BOUNDARY = "----connections-test";
function multipart(parts: { name: string; filename?: string; bytes: Buffer }[]) {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.filename ? `; filename="${part.filename}"` : "";
    chunks.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n` +
          `Content-Type: application/octet-stream\r\n\r\n`,
      ),
      part.bytes,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const json = { "Content-Type": "application/json" };
const form = { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` };
const documents = () => `/api/v1/parts/${partId}/documents`;
const text = (bytes: number) => Buffer.alloc(bytes, "plain text, not a PDF. ");

const REFUSED: Case[] = [
  {
    name: "415 wrong content type (5 bytes)",
    method: "POST",
    path: () => "/api/v1/types",
    headers: { "Content-Type": "text/plain" },
    body: Buffer.from("hello"),
    status: 415,
    small: true,
  },
  {
    name: "415 wrong content type (40 KiB unread)",
    method: "POST",
    path: () => "/api/v1/types",
    headers: { "Content-Type": "text/plain" },
    body: text(40 * 1024),
    status: 415,
    small: true,
  },
  {
    name: "400 malformed JSON",
    method: "POST",
    path: () => "/api/v1/types",
    headers: json,
    body: Buffer.from("{bad"),
    status: 400,
    small: true,
  },
  {
    name: "404 POST to an unknown route",
    method: "POST",
    path: () => "/api/v1/nowhere",
    headers: json,
    body: Buffer.from('{"name":"x"}'),
    status: 404,
    small: true,
  },
  {
    name: "400 multipart without a file",
    method: "POST",
    path: documents,
    headers: form,
    body: multipart([{ name: "title", bytes: Buffer.from("only a title") }]),
    status: 400,
    small: true,
  },
  {
    name: "415 sniffed upload type, small rest",
    method: "POST",
    path: documents,
    headers: form,
    body: multipart([{ name: "file", filename: "notes.pdf", bytes: text(20 * 1024) }]),
    status: 415,
    small: true,
  },
  {
    name: "413 oversized JSON (2 MiB, refused unread)",
    method: "POST",
    path: () => "/api/v1/types",
    headers: json,
    body: Buffer.from(JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) })),
    status: 413,
    small: false,
  },
  {
    name: "413 oversized multipart, refused mid-body",
    method: "POST",
    path: documents,
    headers: form,
    body: multipart([{ name: "file", filename: "big.pdf", bytes: makePdf(1200 * 1024) }]),
    status: 413,
    small: "either",
  },
  {
    name: "413 oversized multipart, refused by its length",
    method: "POST",
    path: documents,
    headers: form,
    body: multipart([{ name: "file", filename: "huge.pdf", bytes: makePdf(2 * 1024 * 1024) }]),
    status: 413,
    small: false,
  },
  {
    name: "415 sniffed upload type, large rest",
    method: "POST",
    path: documents,
    headers: form,
    body: multipart([{ name: "file", filename: "notes.pdf", bytes: text(200 * 1024) }]),
    status: 415,
    small: "either",
  },
];

let typeCounter = 0;
/** A valid request; each creates a type, so its 201 proves the request really ran. */
function validCase(): Case {
  return {
    name: "valid",
    method: "POST",
    path: () => "/api/v1/types",
    headers: json,
    body: Buffer.from(JSON.stringify({ name: `Connection type ${++typeCounter}` })),
    status: 201,
    small: true,
  };
}

test("small refused bodies are within the discard limit, large ones far beyond it", () => {
  for (const refused of REFUSED) {
    if (refused.small === true) expect(refused.body.length).toBeLessThan(DISCARD_LIMIT_BYTES);
    else expect(refused.body.length).toBeGreaterThan(3 * DISCARD_LIMIT_BYTES);
  }
});

describe("Bun's fetch", () => {
  const base = () => `http://127.0.0.1:${server.port}`;
  const send = async (c: Case) => {
    const res = await fetch(base() + c.path(), {
      method: c.method,
      headers: c.headers,
      body: c.body,
    });
    return { res, body: await res.text() };
  };

  for (const refused of REFUSED) {
    test(`${refused.name}, then a valid request`, async () => {
      const first = await send(refused);
      expect(first.res.status, first.body).toBe(refused.status);
      expect(first.res.headers.get("content-type")).toBe("application/problem+json");
      const connection = first.res.headers.get("connection");
      if (refused.small === "either") expect(["keep-alive", "close"]).toContain(connection!);
      else expect(connection).toBe(refused.small ? "keep-alive" : "close");
      const next = await send(validCase());
      expect(next.res.status, next.body).toBe(201);
    });
  }

  test("30 requests alternating refused and valid ones: every valid one succeeds", async () => {
    const small = REFUSED.filter((c) => c.small === true);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      statuses.push((await send(small[i % small.length]!)).res.status);
      statuses.push((await send(validCase())).res.status);
    }
    expect(statuses.filter((_, i) => i % 2 === 1)).toEqual(Array(15).fill(201));
  });
});

describe("node:http with a keep-alive Agent", () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => agent.destroy());

  const send = (c: Case) =>
    new Promise<{ status: number; reused: boolean; connection?: string; body: string }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port: server.port,
            method: c.method,
            path: c.path(),
            headers: { ...c.headers, "Content-Length": String(c.body.length) },
            agent,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                reused: req.reusedSocket,
                connection: res.headers.connection,
                body: Buffer.concat(chunks).toString("utf8"),
              }),
            );
          },
        );
        req.on("error", reject);
        req.end(c.body);
      },
    );

  for (const refused of REFUSED) {
    test(`${refused.name}, then a valid request`, async () => {
      await send(validCase());
      const first = await send(refused);
      expect(first.status, first.body).toBe(refused.status);
      expect(first.reused).toBe(true);
      const kept = refused.small === "either" ? first.connection === "keep-alive" : refused.small;
      expect(first.connection).toBe(kept ? "keep-alive" : "close");
      const next = await send(validCase());
      expect(next.status, next.body).toBe(201);
      // A kept socket carries the valid request: the Agent re-used the refusal's socket.
      expect(next.reused).toBe(kept);
    });
  }
});

interface WireResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/**
 * Writes raw HTTP/1.1 bytes on one socket and reads responses off it until `count` have
 * arrived or the server closes the connection.
 */
function pipelined(requests: Buffer[], count: number) {
  return new Promise<{ responses: WireResponse[]; closed: boolean }>((resolve) => {
    const socket = connect(server.port, "127.0.0.1");
    let buffered = Buffer.alloc(0);
    const responses: WireResponse[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ responses, closed });
    };
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) break;
        const [statusLine = "", ...lines] = buffered
          .subarray(0, end)
          .toString("latin1")
          .split("\r\n");
        const headers = new Map<string, string>();
        for (const line of lines) {
          const colon = line.indexOf(":");
          headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        const status = Number(statusLine.split(" ")[1]);
        if (status === 100) {
          buffered = buffered.subarray(end + 4);
          continue;
        }
        const length = Number(headers.get("content-length") ?? 0);
        if (buffered.length < end + 4 + length) break;
        const body = buffered.subarray(end + 4, end + 4 + length).toString("utf8");
        buffered = buffered.subarray(end + 4 + length);
        responses.push({ status, headers, body });
      }
      if (responses.length >= count) finish(false);
    });
    // A server closing on a client still writing may reset the connection: that is the
    // close, seen by this client.
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
    socket.write(Buffer.concat(requests));
  });
}

function wire(c: Case) {
  const headers = { Host: "127.0.0.1", ...c.headers, "Content-Length": String(c.body.length) };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return Buffer.concat([Buffer.from(`${c.method} ${c.path()} HTTP/1.1\r\n${head}\r\n`), c.body]);
}

describe("a raw socket with two pipelined requests", () => {
  for (const refused of REFUSED) {
    test(`${refused.name}, then a valid request`, async () => {
      const valid = validCase();
      const { responses, closed } = await pipelined([wire(refused), wire(valid)], 2);
      const first = responses[0];
      const kept =
        refused.small === "either"
          ? first?.headers.get("connection") === "keep-alive"
          : refused.small;
      if (kept) {
        expect(responses.map((r) => r.status)).toEqual([refused.status, 201]);
        expect(first!.headers.get("connection")).toBe("keep-alive");
        expect(closed).toBe(false);
        return;
      }
      // A large unread rest: at most the refusal comes back, saying the connection closes,
      // and the connection closes; the valid request then succeeds on a new connection.
      expect(closed).toBe(true);
      expect(responses.length).toBeLessThanOrEqual(1);
      if (first) {
        expect(first.status).toBe(refused.status);
        expect(first.headers.get("connection")).toBe("close");
      }
      const again = await pipelined([wire(valid)], 1);
      expect(again.responses.map((r) => r.status)).toEqual([201]);
    });
  }
});
