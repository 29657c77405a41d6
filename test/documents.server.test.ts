// Document transfers through a real listening server (the one src/main.ts runs), reading
// the response head off the socket: what a client sees on the wire, not what the Response
// object claims.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { DocumentSchema } from "../src/modules/documents/documents.schemas";
import { type HttpServer, serveHttp } from "../src/platform/http-server";
import { createTestApp, type TestApp } from "./support/app";
import { makePdf, makePng, storedKeys } from "./support/documents";
import { newPart } from "./support/inventory";

let t: TestApp;
let server: HttpServer;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(4 * 1024 * 1024) } });
  server = await serveHttp(t.app.fetch, { port: 0, hostname: "127.0.0.1", idleTimeoutSeconds: 30 });
  base = `http://127.0.0.1:${server.port}`;
}, 120_000);
afterAll(async () => {
  await server.stop(false);
  await t.close();
});

interface WireResponse {
  statusLine: string;
  headers: Map<string, string>;
  body: Buffer;
}

/** One request over a raw socket; answers the status line, headers and body bytes as sent. */
function rawRequest(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<WireResponse>((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf("\r\n\r\n");
      const [statusLine = "", ...lines] = raw.subarray(0, split).toString("latin1").split("\r\n");
      const parsed = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(":");
        parsed.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve({ statusLine, headers: parsed, body: raw.subarray(split + 4) });
    });
    const lines = Object.entries({ Host: "127.0.0.1", Connection: "close", ...headers }).map(
      ([name, value]) => `${name}: ${value}`,
    );
    socket.write(`${method} ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`);
  });
}

async function uploadOverHttp(partId: string, bytes: Uint8Array, filename: string) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), filename);
  const res = await fetch(`${base}/api/v1/parts/${partId}/documents`, {
    method: "POST",
    body: form,
  });
  return res;
}

describe("documents over a real server", () => {
  let pdf: Buffer;
  let contentPath: string;
  beforeAll(async () => {
    const part = await newPart(t);
    pdf = makePdf(3 * 1024 * 1024);
    const res = await uploadOverHttp(part.id, pdf, "big datasheet.pdf");
    expect(res.status).toBe(201);
    contentPath = DocumentSchema.parse(await res.json()).contentUrl!;
  });

  test("a streamed download carries Content-Length, not chunked encoding", async () => {
    const res = await rawRequest("GET", contentPath);
    expect(res.statusLine).toBe("HTTP/1.1 200 OK");
    expect(res.headers.get("content-length")).toBe(String(pdf.length));
    expect(res.headers.has("transfer-encoding")).toBe(false);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(res.body.equals(pdf)).toBe(true);
  });

  test("a JSON answer goes out whole with its length", async () => {
    const res = await rawRequest("GET", "/api/v1/types");
    expect(res.statusLine).toBe("HTTP/1.1 200 OK");
    expect(res.headers.has("transfer-encoding")).toBe(false);
    expect(res.headers.get("content-length")).toBe(String(res.body.length));
    expect(JSON.parse(res.body.toString("utf8")).items.length).toBeGreaterThan(0);
  });

  test("a Range request answers 206 with its length and exactly its bytes", async () => {
    const res = await rawRequest("GET", contentPath, { Range: "bytes=1000-1999999" });
    expect(res.statusLine).toBe("HTTP/1.1 206 Partial Content");
    expect(res.headers.get("content-length")).toBe("1999000");
    expect(res.headers.get("content-range")).toBe(`bytes 1000-1999999/${pdf.length}`);
    expect(res.headers.has("transfer-encoding")).toBe(false);
    expect(res.body.equals(pdf.subarray(1000, 2_000_000))).toBe(true);
  });

  test("HEAD carries the length without a body; 304 and 416 on the wire", async () => {
    const head = await rawRequest("HEAD", contentPath);
    expect(head.statusLine).toBe("HTTP/1.1 200 OK");
    expect(head.headers.get("content-length")).toBe(String(pdf.length));
    expect(head.body.length).toBe(0);
    const etag = head.headers.get("etag")!;
    const notModified = await rawRequest("GET", contentPath, { "If-None-Match": etag });
    expect(notModified.statusLine).toBe("HTTP/1.1 304 Not Modified");
    expect(notModified.body.length).toBe(0);
    const beyond = await rawRequest("GET", contentPath, { Range: `bytes=${pdf.length}-` });
    expect(beyond.statusLine).toBe("HTTP/1.1 416 Range Not Satisfiable");
    expect(beyond.headers.get("content-range")).toBe(`bytes */${pdf.length}`);
  });

  test("an image upload round-trips through fetch", async () => {
    const part = await newPart(t);
    const png = await makePng(300, 200);
    const res = await uploadOverHttp(part.id, png, "board.png");
    const doc = DocumentSchema.parse(await res.json());
    const content = await fetch(`${base}${doc.contentUrl}`);
    expect(content.headers.get("content-length")).toBe(String(png.length));
    expect(Buffer.from(await content.arrayBuffer()).equals(png)).toBe(true);
  });

  test("an upload over the limit is answered 413 and leaves nothing stored", async () => {
    const part = await newPart(t);
    const before = await storedKeys(t, "docs");
    // 4.5 MB is refused while streaming; 6 MB already by its Content-Length.
    for (const size of [4.5 * 1024 * 1024, 6 * 1024 * 1024]) {
      const res = await uploadOverHttp(part.id, makePdf(size), "huge.pdf");
      expect(res.status).toBe(413);
      expect(((await res.json()) as { code: string }).code).toBe("documents.too_large");
    }
    expect(await storedKeys(t, "docs")).toEqual(before);
    // The server still answers on new connections.
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
