import { once } from "node:events";
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

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
  const body = hasBody(req) ? new RequestBody(req) : undefined;
  const response = await fetch(toRequest(req, options.hostname, body));
  const headers = toNodeHeaders(response.headers);
  // A request answered before its body was read (415, 413, 404, a refused upload) leaves
  // the rest on the connection: a small rest is read and dropped so the connection stays
  // usable; past that the answer says `Connection: close`, and the server closes the
  // connection once the answer is flushed (RFC 9112 §9.6) instead of leaving a client that
  // was promised keep-alive with a dead socket.
  if (body && !(await body.discardRest())) headers.connection = "close";
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
    // An event stream is written as it comes: waiting for a second chunk would hold back
    // the first event. It is quiet between events by design: the idle timeout is not for it.
    if (String(headers["content-type"] ?? "").startsWith("text/event-stream")) {
      res.setTimeout(0);
      res.writeHead(status, headers).flushHeaders();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        if (res.destroyed) return;
        if (!res.write(next.value)) await once(res, "drain");
      }
      res.end();
      return;
    }
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

function hasBody(req: IncomingMessage) {
  return req.method !== "GET" && req.method !== "HEAD" && !req.complete;
}

function toRequest(req: IncomingMessage, hostname: string, body?: RequestBody): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const url = `http://${req.headers.host ?? hostname}${req.url ?? "/"}`;
  return new Request(url, {
    method: req.method ?? "GET",
    headers,
    ...(body ? { body: body.stream, duplex: "half" } : {}),
  } as RequestInit);
}

/** Most unread request body the server reads and drops to keep a connection. */
export const DISCARD_LIMIT_BYTES = 64 * 1024;
/** Longest it waits for that rest to arrive. */
const DISCARD_DEADLINE_MS = 1000;

/**
 * A request body as a web stream, read from the request only as the app asks for it.
 * Cancelling it or leaving it unread does not destroy the request (as `Readable.toWeb`
 * would): the bridge then owns the rest and decides what happens to the connection.
 */
class RequestBody {
  readonly stream: ReadableStream<Uint8Array>;
  #received = 0;
  #discarding = false;
  #listening = false;

  constructor(private readonly req: IncomingMessage) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          if (!this.#listening) this.#listen(controller);
          req.resume();
        },
        cancel: () => {
          this.#discarding = true;
        },
      },
      { highWaterMark: 0 },
    );
  }

  #listen(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#listening = true;
    const { req } = this;
    req.on("data", (chunk: Buffer) => {
      this.#received += chunk.byteLength;
      if (this.#discarding) return;
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if ((controller.desiredSize ?? 0) <= 0) req.pause();
    });
    req.once("end", () => {
      if (!this.#discarding) controller.close();
    });
    req.once("error", (error) => {
      if (!this.#discarding) controller.error(error);
    });
  }

  /**
   * Reads and drops what the app left unread, up to `DISCARD_LIMIT_BYTES` and for at most
   * `DISCARD_DEADLINE_MS`; true when the body ended within those bounds.
   */
  discardRest(): Promise<boolean> {
    const { req } = this;
    if (req.complete) return Promise.resolve(true);
    this.#discarding = true;
    const declared = Number(req.headers["content-length"]);
    if (declared - this.#received > DISCARD_LIMIT_BYTES) return Promise.resolve(false);
    return new Promise((resolve) => {
      let left = DISCARD_LIMIT_BYTES;
      const settle = (ended: boolean) => {
        clearTimeout(timer);
        req.off("data", onData).off("end", onEnd).off("error", onFailure);
        req.off("close", onFailure);
        if (!ended) req.pause();
        resolve(ended);
      };
      const onData = (chunk: Buffer) => {
        left -= chunk.byteLength;
        if (left < 0) settle(false);
      };
      const onEnd = () => settle(true);
      const onFailure = () => settle(req.complete);
      const timer = setTimeout(() => settle(false), DISCARD_DEADLINE_MS);
      req.on("data", onData).once("end", onEnd).once("error", onFailure).once("close", onFailure);
      req.resume();
    });
  }
}

/** Framing is node:http's: hop-by-hop headers from the app (streamSSE sets some) are dropped. */
const HOP_BY_HOP = new Set(["transfer-encoding", "connection", "keep-alive"]);

function toNodeHeaders(headers: Headers): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of headers) {
    if (name === "set-cookie" || HOP_BY_HOP.has(name)) continue;
    out[name] = value;
  }
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  return out;
}
