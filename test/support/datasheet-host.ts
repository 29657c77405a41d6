import { randomBytes } from "node:crypto";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

/**
 * A fake vendor site for the safe fetcher's tests, on loopback: a good PDF, a 404 and a
 * 410, a bot check (HTML answered 200), a 60 MB PDF generated while it is sent (with and
 * without Content-Length), a body that stalls, redirects anywhere and redirect chains.
 * It counts the bytes it wrote per path, so a test can see how much a client read.
 */
export const HUGE_BYTES = 60 * 1024 * 1024;

export function samplePdf(): Buffer {
  return Buffer.concat([
    Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "latin1"),
    randomBytes(4096),
    Buffer.from("\n%%EOF\n"),
  ]);
}

export interface DatasheetHost {
  port: number;
  /** `http://127.0.0.1:<port>` (or https). */
  origin: string;
  pdf: Buffer;
  /** Paths requested, in order. */
  requests: string[];
  /** The Host header of each request, in order. */
  hostHeaders: string[];
  /** Body bytes written per path. */
  sent: Map<string, number>;
  stop(): Promise<void>;
}

export interface DatasheetHostOptions {
  port?: number;
  host?: string;
  /** Serve https with this certificate and key. */
  tls?: { cert: string; key: string };
}

const CHUNK = Buffer.alloc(64 * 1024, 0x41);

function streamHuge(res: ServerResponse, count: (bytes: number) => void): void {
  let written = 0;
  const head = Buffer.from("%PDF-1.7\n");
  const pump = () => {
    while (written < HUGE_BYTES && !res.destroyed) {
      const piece = written === 0 ? Buffer.concat([head, CHUNK.subarray(head.length)]) : CHUNK;
      written += piece.length;
      count(piece.length);
      if (!res.write(piece)) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

export async function startDatasheetHost(
  options: DatasheetHostOptions = {},
): Promise<DatasheetHost> {
  const pdf = samplePdf();
  const requests: string[] = [];
  const hostHeaders: string[] = [];
  const sent = new Map<string, number>();
  const hanging = new Set<ServerResponse>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    requests.push(`${path}${url.search}`);
    hostHeaders.push(req.headers.host ?? "");
    const count = (bytes: number) => sent.set(path, (sent.get(path) ?? 0) + bytes);
    const send = (status: number, type: string, body: Buffer | string) => {
      const bytes = Buffer.from(body);
      count(bytes.length);
      res.writeHead(status, { "content-type": type, "content-length": bytes.length });
      res.end(bytes);
    };
    const chain = /^\/chain\/(\d+)$/.exec(path);
    if (chain) {
      const left = Number(chain[1]);
      if (left === 0) return send(200, "application/pdf", pdf);
      res.writeHead(302, { location: `/chain/${left - 1}` });
      return void res.end();
    }
    switch (path) {
      case "/good.pdf":
        return send(200, "application/pdf", pdf);
      case "/octet":
        return send(200, "application/octet-stream", pdf);
      case "/missing":
        return send(404, "text/html", "<h1>Not found</h1>");
      case "/gone":
        return send(410, "text/html", "<h1>Gone</h1>");
      case "/broken":
        return send(500, "text/plain", "oops");
      case "/bot-check":
        return send(
          200,
          "text/html; charset=utf-8",
          "<!doctype html><title>Just a moment...</title><p>Checking your browser</p>",
        );
      case "/tiny":
        return send(200, "application/pdf", "%PD");
      case "/huge-streamed":
        res.writeHead(200, { "content-type": "application/pdf" });
        return streamHuge(res, count);
      case "/huge-declared":
        res.writeHead(200, { "content-type": "application/pdf", "content-length": HUGE_BYTES });
        return streamHuge(res, count);
      case "/slow":
        // Headers and the start of a PDF, then nothing: only a total timeout ends it.
        res.writeHead(200, { "content-type": "application/pdf" });
        res.write("%PDF-1.4\n");
        count(9);
        hanging.add(res);
        return;
      case "/redirect": {
        const status = Number(url.searchParams.get("status") ?? 302);
        res.writeHead(status, { location: url.searchParams.get("to") ?? "/" });
        return void res.end();
      }
      default:
        return send(404, "text/plain", "no such path");
    }
  };

  const server = options.tls ? createHttpsServer(options.tls, handle) : createHttpServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? "https" : "http";
  return {
    port,
    origin: `${scheme}://127.0.0.1:${port}`,
    pdf,
    requests,
    hostHeaders,
    sent,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
