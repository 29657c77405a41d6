import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction, type Socket } from "node:net";
import { canonicalAddress, classifyAddress, normaliseHostPort } from "./address-policy";

export { classifyAddress, normaliseHostPort } from "./address-policy";

/**
 * Fetches a PDF from a URL nobody on our side chose (a model proposed it), so that the
 * request cannot be turned against the inside network (SSRF): http(s) on default ports
 * only, every hop's resolved addresses checked and the connection made to exactly those
 * addresses, redirects followed by hand, timeouts, a size cap enforced while streaming and
 * a body that must start with `%PDF`.
 *
 * Bun's fetch ignores an undici `connect.lookup`, so this goes through node:http(s), whose
 * `lookup` option Bun honours: it hands back the addresses checked before, and the socket's
 * remote address is checked again once connected.
 */
export type FetchOutcome = "not_found" | "not_pdf" | "too_large" | "refused" | "timeout" | "error";

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has (the default is `dns.lookup` with `all`). */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface SafeFetcherOptions {
  /** `host:port` entries (FETCH_ALLOW_HOSTS) exempt from the port and address rules; exact match. */
  allowHosts: readonly string[];
  /** MAX_DATASHEET_BYTES. */
  maxBytes: number;
  /** Resolving, connecting and (https) the TLS handshake of one hop; default 5000. */
  connectTimeoutMs?: number;
  /** The whole fetch, every hop and the body included; default 30000. */
  totalTimeoutMs?: number;
  /** Default 3. */
  maxRedirects?: number;
  userAgent?: string;
  /** Replaces DNS (tests map names to addresses with it). */
  resolve?: ResolveHost;
  /** Extra trusted certificate authorities for https (a private CA, a test's own). */
  ca?: string | readonly string[];
}

export type FetchPdfResult =
  | { ok: true; bytes: Buffer; finalUrl: string; contentType: string | null }
  | { ok: false; outcome: FetchOutcome; detail: string };

export interface SafeFetcher {
  fetchPdf(url: string, signal?: AbortSignal): Promise<FetchPdfResult>;
}

type Failure = Extract<FetchPdfResult, { ok: false }>;

interface Config {
  allowHosts: ReadonlySet<string>;
  maxBytes: number;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxRedirects: number;
  userAgent: string;
  resolve: ResolveHost;
  ca: string[] | undefined;
}

/** A hop that passed the checks: where to connect, and to which addresses only. */
interface Target {
  url: URL;
  /** Host name or IP literal, without IPv6 brackets. */
  hostname: string;
  port: number;
  addresses: ResolvedAddress[];
}

type Exchange = { redirect: string; status: number } | FetchPdfResult;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443 };
const PDF_MAGIC = Buffer.from("%PDF");

const fail = (outcome: FetchOutcome, detail: string): Failure => ({ ok: false, outcome, detail });

const defaultResolve: ResolveHost = (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true });

export function createSafeFetcher(options: SafeFetcherOptions): SafeFetcher {
  const allowHosts = new Set<string>();
  for (const entry of options.allowHosts) {
    const normalised = normaliseHostPort(entry);
    if (!normalised) throw new Error(`allow-list entry "${entry}" is not host:port`);
    allowHosts.add(normalised);
  }
  const config: Config = {
    allowHosts,
    maxBytes: options.maxBytes,
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    totalTimeoutMs: options.totalTimeoutMs ?? 30_000,
    maxRedirects: options.maxRedirects ?? 3,
    userAgent: options.userAgent ?? "parts-inventory-datasheet-fetcher/1",
    resolve: options.resolve ?? defaultResolve,
    ca: options.ca === undefined ? undefined : [options.ca].flat(),
  };
  return { fetchPdf: (url, signal) => fetchPdf(config, url, signal) };
}

class Stop extends Error {
  constructor(readonly failure: Failure) {
    super(failure.detail);
  }
}

async function fetchPdf(config: Config, url: string, outer?: AbortSignal): Promise<FetchPdfResult> {
  const controller = new AbortController();
  const stopWith = (failure: Failure) => controller.abort(new Stop(failure));
  const total = setTimeout(
    () => stopWith(fail("timeout", `no complete answer within ${config.totalTimeoutMs} ms`)),
    config.totalTimeoutMs,
  );
  const onOuterAbort = () => stopWith(fail("error", "aborted"));
  if (outer?.aborted) onOuterAbort();
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      const target = await checkHop(config, current, hop, controller.signal);
      if ("ok" in target) return target;
      const result = await exchange(config, target, controller.signal);
      if (!("redirect" in result)) return result;
      if (hop >= config.maxRedirects) {
        return fail("refused", `more than ${config.maxRedirects} redirects`);
      }
      try {
        current = new URL(result.redirect, target.url).href;
      } catch {
        return fail("error", `HTTP ${result.status} with an invalid Location`);
      }
    }
  } catch (error) {
    if (error instanceof Stop) return error.failure;
    if (controller.signal.reason instanceof Stop) return controller.signal.reason.failure;
    throw error;
  } finally {
    clearTimeout(total);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/** Rejects with the controller's Stop when the fetch is stopped while `work` runs. */
function raceStop<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Parses and checks one hop: scheme, port, and every address the host resolves to. */
async function checkHop(
  config: Config,
  raw: string,
  hop: number,
  signal: AbortSignal,
): Promise<Target | Failure> {
  const to = hop > 0 ? "redirect to " : "";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail("refused", `${to}${JSON.stringify(raw.slice(0, 200))} refused: not a valid URL`);
  }
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined) {
    return fail("refused", `${to}${url.protocol} URL refused: only http and https are fetched`);
  }
  const port = url.port ? Number(url.port) : defaultPort;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const allowListed = config.allowHosts.has(`${url.hostname}:${port}`);
  if (!allowListed && port !== defaultPort) {
    return fail(
      "refused",
      `${to}${url.hostname}:${port} refused: only port ${defaultPort} is allowed for ${url.protocol.slice(0, -1)}`,
    );
  }
  const literal = isIP(hostname) !== 0;
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: hostname, family: isIP(hostname) }];
  } else {
    addresses = await resolveWithin(config, hostname, signal);
    if (addresses.length === 0) return fail("error", `${hostname} has no address`);
  }
  if (!allowListed) {
    for (const { address } of addresses) {
      const verdict = classifyAddress(address);
      if (!verdict.allowed) {
        const shown = literal ? url.hostname : `${hostname} (${address})`;
        return fail("refused", `${to}${shown} refused: ${verdict.reason}`);
      }
    }
  }
  return { url, hostname, port, addresses };
}

async function resolveWithin(
  config: Config,
  hostname: string,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Stop(
            fail("timeout", `resolving ${hostname} timed out after ${config.connectTimeoutMs} ms`),
          ),
        ),
      config.connectTimeoutMs,
    );
  });
  try {
    const found = await raceStop(Promise.race([config.resolve(hostname), timeout]), signal);
    return found.map(({ address, family }) => ({ address, family }));
  } catch (error) {
    if (error instanceof Stop) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new Stop(fail("error", `${hostname} could not be resolved${code ? ` (${code})` : ""}`));
  } finally {
    clearTimeout(timer);
  }
}

/** A `lookup` that answers only the addresses checked before: no second DNS answer is used. */
function checkedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (!first) {
      callback(Object.assign(new Error("no checked address"), { code: "ENOTFOUND" }), "", 4);
      return;
    }
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (error: null, all: ResolvedAddress[]) => void)(null, [...addresses]);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

function describeError(error: unknown, target: Target): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${target.url.hostname}:${target.port}`;
  if (code === "ECONNREFUSED") return `connection to ${where} refused`;
  if (code === "ECONNRESET") return `connection to ${where} reset`;
  if (code === "ENETUNREACH" || code === "EHOSTUNREACH") return `${where} unreachable`;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return `certificate of ${where} not accepted (${code})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message}` : message;
}

/** One request/response on a checked target; a redirect is handed back to the caller. */
function exchange(config: Config, target: Target, signal: AbortSignal): Promise<Exchange> {
  if (signal.aborted) return Promise.reject(signal.reason);
  const { url } = target;
  const secure = url.protocol === "https:";
  const allowed = new Set(target.addresses.map(({ address }) => canonicalAddress(address)));
  return new Promise<Exchange>((resolve) => {
    let settled = false;
    const finish = (result: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal.removeEventListener("abort", onAbort);
      request.destroy();
      resolve(result);
    };
    const onAbort = () => finish((signal.reason as Stop).failure);
    signal.addEventListener("abort", onAbort, { once: true });
    const connectTimer = setTimeout(
      () =>
        finish(
          fail(
            "timeout",
            `connecting to ${url.hostname}:${target.port} timed out after ${config.connectTimeoutMs} ms`,
          ),
        ),
      config.connectTimeoutMs,
    );

    const requestOptions: https.RequestOptions = {
      hostname: target.hostname,
      port: target.port,
      path: `${url.pathname}${url.search}`,
      method: "GET",
      agent: false,
      lookup: checkedLookup(target.addresses),
      headers: {
        host: url.host,
        "user-agent": config.userAgent,
        accept: "application/pdf, */*;q=0.1",
      },
    };
    if (secure) {
      // SNI and certificate checks against the name, never an IP literal.
      if (isIP(target.hostname) === 0) requestOptions.servername = target.hostname;
      if (config.ca) requestOptions.ca = config.ca;
    }
    const request = (secure ? https : http).request(requestOptions);

    // The socket must be connected to a checked address: on connect, and again before any
    // answer is read (should a runtime ever skip the `lookup` or the connect event).
    const onWrongPeer = (socket: Socket) => {
      const remote = socket.remoteAddress && canonicalAddress(socket.remoteAddress);
      if (remote && allowed.has(remote)) return false;
      const peer = socket.remoteAddress ?? "an unknown address";
      finish(fail("refused", `connected to ${peer}, which was not the checked address`));
      return true;
    };
    request.on("socket", (socket: Socket) => {
      socket.once("connect", () => {
        if (!onWrongPeer(socket) && !secure) clearTimeout(connectTimer);
      });
      if (secure) socket.once("secureConnect", () => clearTimeout(connectTimer));
    });
    request.on("error", (error) => finish(fail("error", describeError(error, target))));
    request.on("response", (response: IncomingMessage) => {
      clearTimeout(connectTimer);
      if (onWrongPeer(response.socket)) return;
      onResponse(config, response, url, finish);
    });
    request.end();
  });
}

function onResponse(
  config: Config,
  response: IncomingMessage,
  url: URL,
  finish: (result: Exchange) => void,
): void {
  const status = response.statusCode ?? 0;
  if (REDIRECTS.has(status)) {
    const location = response.headers.location;
    finish(
      location
        ? { redirect: location, status }
        : fail("error", `HTTP ${status} without a Location`),
    );
    return;
  }
  if (status < 200 || status > 299) {
    finish(fail(status === 404 || status === 410 ? "not_found" : "error", `HTTP ${status}`));
    return;
  }

  const contentType = response.headers["content-type"] ?? null;
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > config.maxBytes) {
    finish(
      fail("too_large", `Content-Length ${declared} is over the ${config.maxBytes}-byte limit`),
    );
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let checkedMagic = false;
  const notPdf = () =>
    fail("not_pdf", `the body does not start with %PDF (Content-Type ${contentType ?? "none"})`);
  response.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > config.maxBytes) {
      return finish(fail("too_large", `body over the ${config.maxBytes}-byte limit`));
    }
    chunks.push(chunk);
    if (!checkedMagic && received >= PDF_MAGIC.length) {
      checkedMagic = true;
      const head = Buffer.concat(chunks).subarray(0, PDF_MAGIC.length);
      if (!head.equals(PDF_MAGIC)) finish(notPdf());
    }
  });
  response.on("end", () => {
    if (!response.complete)
      return finish(fail("error", "the connection closed before the body ended"));
    if (received < PDF_MAGIC.length) return finish(notPdf());
    finish({ ok: true, bytes: Buffer.concat(chunks, received), finalUrl: url.href, contentType });
  });
  response.on("error", () => finish(fail("error", "the connection closed before the body ended")));
  response.on("close", () => {
    if (!response.complete) finish(fail("error", "the connection closed before the body ended"));
  });
}
