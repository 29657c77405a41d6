import { once } from "node:events";
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface HttpServer {
  readonly port: number;
  /** Stops accepting connections; with `graceful`, requests in flight finish first. */
  stop(graceful: boolean): Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  hostname: string;
  /** Seconds a connection may stay silent (slow uploads and downloads need room). */
  idleTimeoutSeconds: number;
  /** Called with errors of writing a response to a client that went away. */
  onError?: (error: unknown) => void;
}

/**
 * Serves a fetch handler over Bun's `node:http`. `Bun.serve` drops a handler's
 * `Content-Length` on every streamed body and answers `Transfer-Encoding: chunked`
 * (oven-sh/bun#10507, still so in Bun 1.4.5); document downloads need the length on the
 * wire (PDF.js only makes Range requests when it sees one). `node:http` sends the headers
 * as given, applies backpressure to both bodies, and has no 128 MB request body cap.
 */
export function serveHttp(fetch: FetchHandler, options: HttpServerOptions): Promise<HttpServer> {
  const server = createServer((req, res) => {
    handle(fetch, options, req, res).catch((error) => {
      options.onError?.(error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 0;
  server.timeout = options.idleTimeoutSeconds * 1000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        stop: (graceful) =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            if (!graceful) server.closeAllConnections();
          }),
      });
    });
  });
}

async function handle(
  fetch: FetchHandler,
  options: HttpServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
) {
  // A request answered before its body was read (413, 415) leaves the rest unread; close
  // the connection after the answer rather than parse that rest as the next request.
  res.once("finish", () => {
    if (!req.complete) req.destroy();
  });
  const response = await fetch(toRequest(req, options.hostname));
  const headers = toNodeHeaders(response.headers);
  if (!response.body || req.method === "HEAD") {
    await response.body?.cancel();
    res.writeHead(response.status, headers).end();
    return;
  }
  await writeBody(response.status, headers, response.body, res);
}

/**
 * Writes a response. A body that arrives whole in its first chunk (every JSON answer) goes
 * out with its length in one write, headers included; anything longer is copied chunk by
 * chunk, waiting for the client whenever its buffer is full.
 */
async function writeBody(
  status: number,
  headers: OutgoingHttpHeaders,
  body: ReadableStream<Uint8Array>,
  res: ServerResponse,
) {
  const reader = body.getReader();
  const gone = () => void reader.cancel().catch(() => {});
  res.once("close", gone);
  try {
    const first = await reader.read();
    const second = first.done ? first : await reader.read();
    if (second.done) {
      const whole = first.value ?? new Uint8Array(0);
      headers["content-length"] ??= whole.byteLength;
      res.writeHead(status, headers).end(whole);
      return;
    }
    res.writeHead(status, headers);
    let next = first;
    let queued: typeof second | undefined = second;
    while (!next.done) {
      if (res.destroyed) return;
      if (!res.write(next.value)) await once(res, "drain");
      next = queued ?? (await reader.read());
      queued = undefined;
    }
    res.end();
  } finally {
    res.off("close", gone);
  }
}

function toRequest(req: IncomingMessage, hostname: string): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const url = `http://${req.headers.host ?? hostname}${req.url ?? "/"}`;
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
}

function toNodeHeaders(headers: Headers): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of headers) {
    if (name === "set-cookie") continue;
    out[name] = value;
  }
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  return out;
}
