// The safe fetcher: SSRF rules, outcomes, limits. The network cases run in a network
// namespace that has only loopback (`unshare -n`), so that a refusal test could not reach
// 10.x or 169.254.169.254 even if the code under test were wrong: run normally, this file
// re-runs itself inside one and checks that every isolated case passed there.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "../src/env";
import {
  classifyAddress,
  createSafeFetcher,
  type FetchPdfResult,
  normaliseHostPort,
  type ResolvedAddress,
  type ResolveHost,
  type SafeFetcherOptions,
} from "../src/platform/safe-fetch";
import { createTestApp } from "./support/app";
import { type DatasheetHost, HUGE_BYTES, startDatasheetHost } from "./support/datasheet-host";
import { machineCanRun } from "./support/machine";

const ISOLATION_FLAG = "SAFE_FETCH_ISOLATED";
const isolated = process.env[ISOLATION_FLAG] === "1";
const MiB = 1024 * 1024;
const CAP = 25 * MiB;

if (isolated) {
  // The flag alone proves nothing: refuse to run the network cases anywhere but an
  // isolated namespace.
  const interfaces = Object.keys(networkInterfaces());
  if (interfaces.some((name) => name !== "lo")) {
    throw new Error(
      `${ISOLATION_FLAG}=1 but this network has ${interfaces.join(", ")}: not isolated`,
    );
  }
}

/** Cases that need the namespace; the outer run checks each of them passed in there. */
const isolatedCases: string[] = [];
function isolatedTest(name: string, fn: () => Promise<void>, timeoutMs?: number) {
  isolatedCases.push(name);
  if (isolated) test(name, fn, timeoutMs);
}

// ---------------------------------------------------------------------------------------
// Outside the namespace: the classifier, the allow-list syntax, and the isolated re-run.

describe.if(!isolated)("address classifier", () => {
  const refusedCases: [string, string][] = [
    // IPv4
    ["127.0.0.1", "loopback address"],
    ["127.255.255.254", "loopback address"],
    ["10.0.0.1", "private address"],
    ["10.255.255.255", "private address"],
    ["172.16.0.1", "private address"],
    ["172.31.255.255", "private address"],
    ["192.168.1.1", "private address"],
    ["169.254.0.1", "link-local address"],
    ["169.254.169.254", "cloud metadata address"],
    ["100.100.100.200", "cloud metadata address"],
    ["168.63.129.16", "cloud metadata address"],
    ["100.64.0.1", "carrier-grade NAT address"],
    ["100.127.255.255", "carrier-grade NAT address"],
    ["224.0.0.1", "multicast address"],
    ["239.255.255.250", "multicast address"],
    ["0.0.0.0", "unspecified address"],
    ["0.1.2.3", "unspecified address"],
    ["255.255.255.255", "broadcast address"],
    ["192.0.2.1", "reserved address"],
    ["198.51.100.7", "reserved address"],
    ["203.0.113.9", "reserved address"],
    ["198.18.0.1", "reserved address"],
    ["192.0.0.170", "reserved address"],
    ["240.0.0.1", "reserved address"],
    // odd IPv4 spellings, should one ever get past the URL parser
    ["0x7f.1", "loopback address"],
    ["2130706433", "loopback address"],
    ["0177.0.0.1", "loopback address"],
    ["017700000001", "loopback address"],
    // IPv6
    ["::1", "loopback address"],
    ["::", "unspecified address"],
    ["fe80::1", "link-local address"],
    ["febf:ffff::1", "link-local address"],
    ["fe80::1%eth0", "scoped address"],
    ["fc00::1", "unique-local address"],
    ["fd12:3456::1", "unique-local address"],
    ["fd00:ec2::254", "cloud metadata address"],
    ["fec0::1", "site-local address"],
    ["ff02::1", "multicast address"],
    ["2001:db8::1", "reserved address"],
    ["2001:2::1", "reserved address"],
    ["100::1", "reserved address"],
    ["4000::1", "reserved address"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo address"],
    // IPv6 forms carrying an IPv4 address
    ["::ffff:127.0.0.1", "IPv4-mapped address of 127.0.0.1 (loopback address)"],
    ["::ffff:7f00:1", "IPv4-mapped address of 127.0.0.1 (loopback address)"],
    ["::ffff:10.0.0.1", "IPv4-mapped address of 10.0.0.1 (private address)"],
    ["::ffff:169.254.169.254", "IPv4-mapped address of 169.254.169.254 (cloud metadata address)"],
    ["::ffff:0:127.0.0.1", "IPv4-translated address of 127.0.0.1 (loopback address)"],
    ["::127.0.0.1", "IPv4-compatible address of 127.0.0.1"],
    ["::8.8.8.8", "IPv4-compatible address of 8.8.8.8"],
    ["2002:7f00:1::", "6to4 address of 127.0.0.1 (loopback address)"],
    ["2002:a00:1::1", "6to4 address of 10.0.0.1 (private address)"],
    ["2002:a9fe:a9fe::", "6to4 address of 169.254.169.254 (cloud metadata address)"],
    ["64:ff9b::7f00:1", "NAT64 address of 127.0.0.1 (loopback address)"],
    ["64:ff9b::10.0.0.1", "NAT64 address of 10.0.0.1 (private address)"],
    ["64:ff9b::a9fe:a9fe", "NAT64 address of 169.254.169.254 (cloud metadata address)"],
    ["64:ff9b:1::a00:1", "NAT64 local-use address"],
    // not addresses at all
    ["localhost", "not an IP address"],
    ["", "not an IP address"],
  ];
  test.each(refusedCases)("%p is refused: %s", (address, reason) => {
    expect(classifyAddress(address)).toEqual({ allowed: false, reason });
  });

  const publicCases = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "169.253.255.255",
    "11.0.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "2002:808:808::1",
    "64:ff9b::808:808",
  ];
  test.each(publicCases)("%p is allowed", (address) => {
    expect(classifyAddress(address)).toEqual({ allowed: true });
  });
});

describe.if(!isolated)("allow-list entries", () => {
  test.each([
    ["127.0.0.1:8080", "127.0.0.1:8080"],
    [" 127.0.0.1:8080 ", "127.0.0.1:8080"],
    ["0x7f.1:8080", "127.0.0.1:8080"],
    ["[::1]:8080", "[::1]:8080"],
    ["[::ffff:127.0.0.1]:80", "[::ffff:7f00:1]:80"],
    ["Datasheets.Example:443", "datasheets.example:443"],
    ["127.0.0.1:80", "127.0.0.1:80"],
  ])("%p is normalised to %p", (entry, expected) => {
    expect(normaliseHostPort(entry)).toBe(expected);
  });

  test.each([
    "127.0.0.1",
    "127.0.0.1:",
    "127.0.0.1:0",
    "127.0.0.1:65536",
    "http://127.0.0.1:80",
    "::1:8080",
    "a/b:80",
    "user@host:80",
    "",
  ])("%p is not an entry", (entry) => {
    expect(normaliseHostPort(entry)).toBeUndefined();
    if (entry.trim() !== "") {
      expect(() => createSafeFetcher({ allowHosts: [entry], maxBytes: CAP })).toThrow(/host:port/);
    }
  });

  test("FETCH_ALLOW_HOSTS and MAX_DATASHEET_BYTES parse from the environment", () => {
    const defaults = parseEnv({});
    expect(defaults.FETCH_ALLOW_HOSTS).toEqual([]);
    expect(defaults.MAX_DATASHEET_BYTES).toBe(26_214_400);
    const set = parseEnv({
      FETCH_ALLOW_HOSTS: "127.0.0.1:8080, [::1]:9000,",
      MAX_DATASHEET_BYTES: "1000",
    });
    expect(set.FETCH_ALLOW_HOSTS).toEqual(["127.0.0.1:8080", "[::1]:9000"]);
    expect(set.MAX_DATASHEET_BYTES).toBe(1000);
    expect(() => parseEnv({ FETCH_ALLOW_HOSTS: "127.0.0.1" })).toThrow(/FETCH_ALLOW_HOSTS/);
    expect(() => parseEnv({ MAX_DATASHEET_BYTES: "0" })).toThrow(/MAX_DATASHEET_BYTES/);
  });
});

test.if(!isolated)(
  "deps.fetcher is built from FETCH_ALLOW_HOSTS and MAX_DATASHEET_BYTES",
  async () => {
    // Loopback only, and nothing here is meant to be refused on its address.
    const host = await startDatasheetHost();
    const apps = await Promise.all([
      createTestApp({ env: { FETCH_ALLOW_HOSTS: `127.0.0.1:${host.port}` }, jobs: false }),
      createTestApp({
        env: { FETCH_ALLOW_HOSTS: `127.0.0.1:${host.port}`, MAX_DATASHEET_BYTES: "1000" },
        jobs: false,
      }),
      createTestApp({ jobs: false }),
    ]);
    try {
      const [allowed, capped, closed] = apps.map((app) => app.deps.fetcher);
      const url = `${host.origin}/good.pdf`;
      const good = await allowed!.fetchPdf(url);
      expect(good.ok && Buffer.compare(good.bytes, host.pdf)).toBe(0);
      expect(failure(await capped!.fetchPdf(url)).outcome).toBe("too_large");
      expect(failure(await closed!.fetchPdf(url)).outcome).toBe("refused");
      expect(host.requests).toEqual(["/good.pdf", "/good.pdf"]);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await host.stop();
    }
  },
);

// `unshare -n` needs root (CI runs as root) and util-linux/iproute2.
const canIsolate = machineCanRun(
  "a network namespace (root, unshare, ip) for the SSRF tests",
  process.getuid?.() === 0 && Boolean(Bun.which("unshare")) && Boolean(Bun.which("ip")),
);

test.if(!isolated && canIsolate)(
  "every network case passes inside a network namespace that has only loopback",
  () => {
    for (const tool of ["unshare", "ip"]) {
      if (!Bun.which(tool)) {
        throw new Error(
          `\`${tool}\` is not on PATH: the SSRF tests must run in a network namespace (util-linux, iproute2)`,
        );
      }
    }
    const env: Record<string, string | undefined> = { ...process.env, [ISOLATION_FLAG]: "1" };
    // Nothing outside the namespace is reachable from inside: the suite needs no server.
    delete env.TEST_DATABASE_URL;
    delete env.TEST_TRANSPORT;
    const run = spawnSync(
      "unshare",
      [
        "-n",
        "sh",
        "-c",
        // The inner run needs no database: a config without the preload that prepares one.
        'ip link set lo up && exec "$0" --config="$1" test --timeout 60000 "$2"',
        process.execPath,
        join(import.meta.dir, "support", "bunfig.isolated.toml"),
        import.meta.path,
      ],
      { cwd: join(import.meta.dir, ".."), env, encoding: "utf8", timeout: 170_000 },
    );
    const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
    for (const line of output.split("\n")) if (line.startsWith("[safe-fetch]")) console.error(line);
    const count = (word: string) =>
      Number(new RegExp(`^\\s*(\\d+) ${word}$`, "m").exec(output)?.[1] ?? NaN);
    const notPassed = isolatedCases.filter((name) => !output.includes(`(pass) ${name}`));
    if (run.status !== 0 || count("fail") !== 0 || notPassed.length > 0) {
      throw new Error(
        // Indented, so that CI's count of "N pass" lines does not add the inner run's.
        `isolated run: exit ${run.status}${run.error ? ` (${run.error.message})` : ""}, not passed: ${notPassed.join("; ") || "none"}\n${output.replace(/^/gm, "  | ")}`,
      );
    }
    expect(count("pass")).toBe(isolatedCases.length);
  },
  180_000,
);

// ---------------------------------------------------------------------------------------
// Inside the namespace: fake hosts on loopback, real sockets.

/** The fake vendor site on 127.0.0.1:80, so that a wrongly allowed default-port request would succeed. */
let onPort80: DatasheetHost;
/** The same on [::1]:80. */
let onPort80v6: DatasheetHost;
/** The allow-listed fake (`127.0.0.1:<port>`). */
let site: DatasheetHost;
/** Another loopback port, never allow-listed. */
let other: DatasheetHost;
let tlsSite: DatasheetHost;
let caCert: string;
/** Accepts TCP connections and never says a word (a TLS handshake never completes). */
let silent: { port: number; close(): void };
let certDir: string;

function makeCertificate(dir: string): { cert: string; key: string } {
  const made = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=datasheets.example",
      "-addext",
      "subjectAltName=DNS:datasheets.example",
    ],
    { encoding: "utf8" },
  );
  if (made.status !== 0) {
    throw new Error(
      `openssl could not make the test certificate: ${made.error?.message ?? made.stderr}`,
    );
  }
  return {
    cert: readFileSync(join(dir, "cert.pem"), "utf8"),
    key: readFileSync(join(dir, "key.pem"), "utf8"),
  };
}

async function startSilentServer() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

beforeAll(async () => {
  if (!isolated) return;
  certDir = mkdtempSync(join(tmpdir(), "safe-fetch-"));
  const tls = makeCertificate(certDir);
  caCert = tls.cert;
  [onPort80, onPort80v6, site, other, tlsSite, silent] = await Promise.all([
    startDatasheetHost({ port: 80 }),
    startDatasheetHost({ port: 80, host: "::1" }),
    startDatasheetHost(),
    startDatasheetHost(),
    startDatasheetHost({ tls }),
    startSilentServer(),
  ]);
});

afterAll(async () => {
  if (!isolated) return;
  silent.close();
  await Promise.all([onPort80, onPort80v6, site, other, tlsSite].map((host) => host.stop()));
  rmSync(certDir, { recursive: true, force: true });
});

/** A resolver from a fixed table; it records what it was asked. */
function fakeResolver(table: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve: ResolveHost = async (hostname) => {
    asked.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`no such host ${hostname}`), { code: "ENOTFOUND" });
    return found.map(
      (address): ResolvedAddress => ({ address, family: address.includes(":") ? 6 : 4 }),
    );
  };
  return { resolve, asked };
}

function fetcher(options: Partial<SafeFetcherOptions> = {}) {
  return createSafeFetcher({ allowHosts: [`127.0.0.1:${site.port}`], maxBytes: CAP, ...options });
}

function failure(result: FetchPdfResult) {
  if (result.ok)
    throw new Error(`expected a failure, got ${result.bytes.length} bytes from ${result.finalUrl}`);
  return { outcome: result.outcome, detail: result.detail };
}

const redirectTo = (to: string, status = 302) =>
  `${site.origin}/redirect?status=${status}&to=${encodeURIComponent(to)}`;

const noRequestsOnLoopbackFakes = () => {
  expect(onPort80.requests).toEqual([]);
  expect(onPort80v6.requests).toEqual([]);
  expect(other.requests).toEqual([]);
};

isolatedTest(
  "the namespace reaches nothing but loopback (10.0.0.1 cannot be connected to)",
  async () => {
    const started = performance.now();
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const socket = connect(80, "10.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once("error", resolve);
    });
    // No route: the kernel fails the connect at once (Bun reports it as ECONNREFUSED).
    expect(error?.code).toMatch(/^(ENETUNREACH|ECONNREFUSED)$/);
    expect(performance.now() - started).toBeLessThan(1000);
  },
);

isolatedTest("an allow-listed loopback host: the PDF arrives byte for byte", async () => {
  const result = await fetcher().fetchPdf(`${site.origin}/good.pdf`);
  if (!result.ok) throw new Error(result.detail);
  expect(Buffer.compare(result.bytes, site.pdf)).toBe(0);
  expect(result.finalUrl).toBe(`${site.origin}/good.pdf`);
  expect(result.contentType).toBe("application/pdf");
  // The type is not what decides: the bytes are.
  const octet = await fetcher().fetchPdf(`${site.origin}/octet`);
  expect(octet.ok && octet.contentType).toBe("application/octet-stream");
});

isolatedTest(
  "an allow-listed name goes to the address the resolver gave, with its Host header",
  async () => {
    const { resolve, asked } = fakeResolver({ "datasheets.example": ["127.0.0.1"] });
    const named = fetcher({ allowHosts: [`datasheets.example:${site.port}`], resolve });
    const result = await named.fetchPdf(`http://datasheets.example:${site.port}/good.pdf`);
    if (!result.ok) throw new Error(result.detail);
    expect(Buffer.compare(result.bytes, site.pdf)).toBe(0);
    expect(asked).toEqual(["datasheets.example"]);
    expect(site.hostHeaders.at(-1)).toBe(`datasheets.example:${site.port}`);
  },
);

isolatedTest("loopback on the default port is refused when not allow-listed", async () => {
  const closed = createSafeFetcher({ allowHosts: [], maxBytes: CAP });
  expect(failure(await closed.fetchPdf("http://127.0.0.1/good.pdf"))).toEqual({
    outcome: "refused",
    detail: "127.0.0.1 refused: loopback address",
  });
  expect(failure(await closed.fetchPdf(`${site.origin}/good.pdf`))).toEqual({
    outcome: "refused",
    detail: `127.0.0.1:${site.port} refused: only port 80 is allowed for http`,
  });
  noRequestsOnLoopbackFakes();
});

isolatedTest(
  "allowing 127.0.0.1:PORT allows neither another port nor a redirect to one",
  async () => {
    const allowed = fetcher();
    const portRefusal = {
      outcome: "refused" as const,
      detail: `127.0.0.1:${other.port} refused: only port 80 is allowed for http`,
    };
    expect(failure(await allowed.fetchPdf(`${other.origin}/good.pdf`))).toEqual(portRefusal);
    expect(failure(await allowed.fetchPdf(redirectTo(`${other.origin}/good.pdf`)))).toEqual({
      ...portRefusal,
      detail: `redirect to ${portRefusal.detail}`,
    });
    expect(failure(await allowed.fetchPdf("http://127.0.0.1/good.pdf"))).toEqual({
      outcome: "refused",
      detail: "127.0.0.1 refused: loopback address",
    });
    expect(failure(await allowed.fetchPdf(redirectTo("http://127.0.0.1/good.pdf")))).toEqual({
      outcome: "refused",
      detail: "redirect to 127.0.0.1 refused: loopback address",
    });
    // Another spelling of the allowed host:port is another entry.
    expect(
      failure(
        await allowed.fetchPdf(redirectTo(`http://[::ffff:127.0.0.1]:${site.port}/good.pdf`)),
      ),
    ).toEqual({
      outcome: "refused",
      detail: `redirect to [::ffff:7f00:1]:${site.port} refused: only port 80 is allowed for http`,
    });
    noRequestsOnLoopbackFakes();
  },
);

isolatedTest(
  "a redirect to any inside address is refused, whatever the redirect status",
  async () => {
    const cases: [string, number, string][] = [
      [
        "http://169.254.169.254/latest/meta-data/",
        302,
        "169.254.169.254 refused: cloud metadata address",
      ],
      ["http://10.0.0.1/", 301, "10.0.0.1 refused: private address"],
      [
        "http://[::ffff:127.0.0.1]/good.pdf",
        303,
        "[::ffff:7f00:1] refused: IPv4-mapped address of 127.0.0.1 (loopback address)",
      ],
      [
        "http://[::ffff:169.254.169.254]/",
        307,
        "[::ffff:a9fe:a9fe] refused: IPv4-mapped address of 169.254.169.254 (cloud metadata address)",
      ],
      ["http://[fd00:ec2::254]/", 308, "[fd00:ec2::254] refused: cloud metadata address"],
      ["http://127.0.0.1/good.pdf", 302, "127.0.0.1 refused: loopback address"],
      ["http://[::1]/good.pdf", 302, "[::1] refused: loopback address"],
      ["http://0.0.0.0/good.pdf", 302, "0.0.0.0 refused: unspecified address"],
      ["http://2130706433/good.pdf", 302, "127.0.0.1 refused: loopback address"],
      ["http://172.16.5.4/", 302, "172.16.5.4 refused: private address"],
      ["http://192.168.0.1/", 302, "192.168.0.1 refused: private address"],
      ["http://100.64.0.1/", 302, "100.64.0.1 refused: carrier-grade NAT address"],
      ["http://224.0.0.1/", 302, "224.0.0.1 refused: multicast address"],
      ["http://255.255.255.255/", 302, "255.255.255.255 refused: broadcast address"],
      ["http://192.0.2.10/", 302, "192.0.2.10 refused: reserved address"],
      ["http://[fe80::1]/", 302, "[fe80::1] refused: link-local address"],
      ["http://[fc00::1]/", 302, "[fc00::1] refused: unique-local address"],
      [
        "http://[2002:7f00:1::]/good.pdf",
        302,
        "[2002:7f00:1::] refused: 6to4 address of 127.0.0.1 (loopback address)",
      ],
      [
        "http://[64:ff9b::a9fe:a9fe]/",
        302,
        "[64:ff9b::a9fe:a9fe] refused: NAT64 address of 169.254.169.254 (cloud metadata address)",
      ],
      ["file:///etc/passwd", 302, "file: URL refused: only http and https are fetched"],
      ["gopher://127.0.0.1:70/_x", 302, "gopher: URL refused: only http and https are fetched"],
    ];
    const allowed = fetcher();
    for (const [to, status, detail] of cases) {
      const result = failure(await allowed.fetchPdf(redirectTo(to, status)));
      expect({ to, ...result }).toEqual({
        to,
        outcome: "refused",
        detail: `redirect to ${detail}`,
      });
    }
    noRequestsOnLoopbackFakes();
  },
);

isolatedTest("odd numeric host forms are normalised, then refused", async () => {
  const closed = createSafeFetcher({ allowHosts: [], maxBytes: CAP });
  const cases: [string, string][] = [
    ["http://2130706433/good.pdf", "127.0.0.1 refused: loopback address"],
    ["http://0x7f.1/good.pdf", "127.0.0.1 refused: loopback address"],
    ["http://0177.0.0.1/good.pdf", "127.0.0.1 refused: loopback address"],
    ["http://127.1/good.pdf", "127.0.0.1 refused: loopback address"],
    ["http://0x7f000001/good.pdf", "127.0.0.1 refused: loopback address"],
    ["http://0.0.0.0/good.pdf", "0.0.0.0 refused: unspecified address"],
    ["http://0/good.pdf", "0.0.0.0 refused: unspecified address"],
    ["http://[::]/good.pdf", "[::] refused: unspecified address"],
    ["http://[::1]/good.pdf", "[::1] refused: loopback address"],
    [
      "http://[::ffff:7f00:1]/good.pdf",
      "[::ffff:7f00:1] refused: IPv4-mapped address of 127.0.0.1 (loopback address)",
    ],
    [
      "http://[0:0:0:0:0:ffff:127.0.0.1]/good.pdf",
      "[::ffff:7f00:1] refused: IPv4-mapped address of 127.0.0.1 (loopback address)",
    ],
    ["http://0xa9.0xfe.0xa9.0xfe/latest", "169.254.169.254 refused: cloud metadata address"],
    ["http://localhost/good.pdf", "localhost ("],
  ];
  for (const [url, detail] of cases) {
    const result = failure(await closed.fetchPdf(url));
    expect(result.outcome).toBe("refused");
    expect(result.detail.startsWith(detail)).toBe(true);
    expect(result.detail).toMatch(/refused: (loopback|unspecified|IPv4-mapped|cloud metadata)/);
  }
  noRequestsOnLoopbackFakes();
});

isolatedTest(
  "a host name that resolves to an inside address is refused, directly or by redirect",
  async () => {
    const { resolve } = fakeResolver({
      "intranet.example": ["10.0.0.5"],
      "loopback.example": ["127.0.0.1"],
      "mixed.example": ["93.184.215.14", "127.0.0.1"],
      "mapped.example": ["::ffff:10.0.0.5"],
      "metadata.example": ["169.254.169.254"],
    });
    const named = fetcher({ resolve });
    const cases: [string, string][] = [
      ["http://intranet.example/x.pdf", "intranet.example (10.0.0.5) refused: private address"],
      [
        "http://loopback.example/good.pdf",
        "loopback.example (127.0.0.1) refused: loopback address",
      ],
      ["http://mixed.example/good.pdf", "mixed.example (127.0.0.1) refused: loopback address"],
      [
        "http://mapped.example/",
        "mapped.example (::ffff:10.0.0.5) refused: IPv4-mapped address of 10.0.0.5 (private address)",
      ],
      [
        "https://metadata.example/",
        "metadata.example (169.254.169.254) refused: cloud metadata address",
      ],
    ];
    for (const [url, detail] of cases) {
      expect(failure(await named.fetchPdf(url))).toEqual({ outcome: "refused", detail });
      expect(failure(await named.fetchPdf(redirectTo(url)))).toEqual({
        outcome: "refused",
        detail: `redirect to ${detail}`,
      });
    }
    expect(failure(await named.fetchPdf("http://unknown.example/"))).toEqual({
      outcome: "error",
      detail: "unknown.example could not be resolved (ENOTFOUND)",
    });
    noRequestsOnLoopbackFakes();
  },
);

isolatedTest(
  "the connection goes to the checked address: the resolver is asked once per hop",
  async () => {
    // DNS rebinding: a public answer for the check, loopback for any later question.
    const asked: string[] = [];
    const resolve: ResolveHost = async (hostname) => {
      asked.push(hostname);
      return [{ address: asked.length === 1 ? "93.184.215.14" : "127.0.0.1", family: 4 }];
    };
    const result = failure(await fetcher({ resolve }).fetchPdf("http://rebind.example/good.pdf"));
    // 93.184.215.14 is unreachable from the namespace: had the second answer been used, the
    // fake on 127.0.0.1:80 would have answered with a PDF.
    expect(result.outcome).toBe("error");
    expect(result.detail).toMatch(
      /^(connection to rebind\.example:80 refused|rebind\.example:80 unreachable)$/,
    );
    expect(asked).toEqual(["rebind.example"]);
    noRequestsOnLoopbackFakes();
  },
);

isolatedTest("only http and https, on their default ports", async () => {
  const open = fetcher();
  const cases: [string, string][] = [
    ["file:///etc/passwd", "file: URL refused: only http and https are fetched"],
    ["gopher://127.0.0.1:70/_GET%20/", "gopher: URL refused: only http and https are fetched"],
    ["ftp://ftp.example.com/ds.pdf", "ftp: URL refused: only http and https are fetched"],
    [
      "data:application/pdf;base64,JVBERi0xLjQ=",
      "data: URL refused: only http and https are fetched",
    ],
    ["ws://8.8.8.8/", "ws: URL refused: only http and https are fetched"],
    ["http://8.8.8.8:8080/ds.pdf", "8.8.8.8:8080 refused: only port 80 is allowed for http"],
    ["https://8.8.8.8:80/ds.pdf", "8.8.8.8:80 refused: only port 443 is allowed for https"],
    ["not a url", '"not a url" refused: not a valid URL'],
  ];
  for (const [url, detail] of cases) {
    expect(failure(await open.fetchPdf(url))).toEqual({ outcome: "refused", detail });
  }
});

isolatedTest("404 and 410 are not_found, other errors are error with the status", async () => {
  const open = fetcher();
  expect(failure(await open.fetchPdf(`${site.origin}/missing`))).toEqual({
    outcome: "not_found",
    detail: "HTTP 404",
  });
  expect(failure(await open.fetchPdf(`${site.origin}/gone`))).toEqual({
    outcome: "not_found",
    detail: "HTTP 410",
  });
  expect(failure(await open.fetchPdf(`${site.origin}/broken`))).toEqual({
    outcome: "error",
    detail: "HTTP 500",
  });
});

isolatedTest(
  "an HTML page answered 200 is not_pdf, and so is a body too short for %PDF",
  async () => {
    const open = fetcher();
    expect(failure(await open.fetchPdf(`${site.origin}/bot-check`))).toEqual({
      outcome: "not_pdf",
      detail: "the body does not start with %PDF (Content-Type text/html; charset=utf-8)",
    });
    expect(failure(await open.fetchPdf(`${site.origin}/tiny`)).outcome).toBe("not_pdf");
  },
);

isolatedTest("a 60 MB PDF over the 25 MiB cap is too_large without being read whole", async () => {
  const open = fetcher();
  expect(failure(await open.fetchPdf(`${site.origin}/huge-declared`))).toEqual({
    outcome: "too_large",
    detail: `Content-Length ${HUGE_BYTES} is over the ${CAP}-byte limit`,
  });
  expect(failure(await open.fetchPdf(`${site.origin}/huge-streamed`))).toEqual({
    outcome: "too_large",
    detail: `body over the ${CAP}-byte limit`,
  });
  await Bun.sleep(300);
  const declared = site.sent.get("/huge-declared") ?? 0;
  const streamed = site.sent.get("/huge-streamed") ?? 0;
  console.error(
    `[safe-fetch] 60 MB PDF: server wrote ${(declared / MiB).toFixed(1)} MiB (Content-Length), ${(streamed / MiB).toFixed(1)} MiB (streamed)`,
  );
  // Declared: refused on the headers; only what the socket buffers took was written.
  expect(declared).toBeLessThan(16 * MiB);
  // Streamed: cut just past the cap; socket buffers account for the rest.
  expect(streamed).toBeGreaterThan(CAP);
  expect(streamed).toBeLessThan(CAP + 12 * MiB);
});

isolatedTest("a body cut short of its Content-Length is an error, not a PDF", async () => {
  const liar = createServer((socket) =>
    socket.end(
      "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 1000\r\n\r\n%PDF-1.4\n",
    ),
  );
  await new Promise<void>((resolve) => liar.listen(0, "127.0.0.1", () => resolve()));
  const { port } = liar.address() as AddressInfo;
  try {
    const result = await fetcher({ allowHosts: [`127.0.0.1:${port}`] }).fetchPdf(
      `http://127.0.0.1:${port}/ds.pdf`,
    );
    expect(failure(result)).toEqual({
      outcome: "error",
      detail: "the connection closed before the body ended",
    });
  } finally {
    liar.close();
  }
});

isolatedTest("a body that stalls ends in timeout at the total timeout", async () => {
  const started = performance.now();
  const result = failure(await fetcher({ totalTimeoutMs: 300 }).fetchPdf(`${site.origin}/slow`));
  expect(result).toEqual({ outcome: "timeout", detail: "no complete answer within 300 ms" });
  expect(performance.now() - started).toBeLessThan(3000);
});

isolatedTest(
  "a connection that never completes ends in timeout at the connect timeout",
  async () => {
    const quick = fetcher({ allowHosts: [`127.0.0.1:${silent.port}`], connectTimeoutMs: 300 });
    const started = performance.now();
    expect(failure(await quick.fetchPdf(`https://127.0.0.1:${silent.port}/ds.pdf`))).toEqual({
      outcome: "timeout",
      detail: `connecting to 127.0.0.1:${silent.port} timed out after 300 ms`,
    });
    expect(performance.now() - started).toBeLessThan(3000);
    // Resolving is part of connecting.
    const stalled = fetcher({ connectTimeoutMs: 300, resolve: () => new Promise(() => {}) });
    expect(failure(await stalled.fetchPdf("http://stalled.example/ds.pdf"))).toEqual({
      outcome: "timeout",
      detail: "resolving stalled.example timed out after 300 ms",
    });
  },
);

isolatedTest("redirects are followed by hand, at most 3", async () => {
  const open = fetcher();
  const three = await open.fetchPdf(`${site.origin}/chain/3`);
  if (!three.ok) throw new Error(three.detail);
  expect(three.finalUrl).toBe(`${site.origin}/chain/0`);
  expect(Buffer.compare(three.bytes, site.pdf)).toBe(0);

  const before = site.requests.length;
  expect(failure(await open.fetchPdf(`${site.origin}/chain/4`))).toEqual({
    outcome: "refused",
    detail: "more than 3 redirects",
  });
  expect(site.requests.slice(before)).toEqual(["/chain/4", "/chain/3", "/chain/2", "/chain/1"]);

  expect(failure(await fetcher({ maxRedirects: 0 }).fetchPdf(`${site.origin}/chain/1`))).toEqual({
    outcome: "refused",
    detail: "more than 0 redirects",
  });
  const relative = await open.fetchPdf(redirectTo("/good.pdf", 307));
  expect(relative.ok && relative.finalUrl).toBe(`${site.origin}/good.pdf`);
});

isolatedTest(
  "https: the certificate is checked against the host name, not the address",
  async () => {
    const { resolve } = fakeResolver({
      "datasheets.example": ["127.0.0.1"],
      "other.example": ["127.0.0.1"],
    });
    const allowHosts = [`datasheets.example:${tlsSite.port}`, `other.example:${tlsSite.port}`];
    const trusting = fetcher({ allowHosts, resolve, ca: caCert });
    const good = await trusting.fetchPdf(`https://datasheets.example:${tlsSite.port}/good.pdf`);
    if (!good.ok) throw new Error(good.detail);
    expect(Buffer.compare(good.bytes, tlsSite.pdf)).toBe(0);
    expect(
      failure(await trusting.fetchPdf(`https://other.example:${tlsSite.port}/good.pdf`)),
    ).toEqual({
      outcome: "error",
      detail: `certificate of other.example:${tlsSite.port} not accepted (ERR_TLS_CERT_ALTNAME_INVALID)`,
    });
    const untrusting = fetcher({ allowHosts, resolve });
    expect(
      failure(await untrusting.fetchPdf(`https://datasheets.example:${tlsSite.port}/good.pdf`))
        .detail,
    ).toStartWith(`certificate of datasheets.example:${tlsSite.port} not accepted`);
  },
);

isolatedTest("the caller's abort signal stops the fetch", async () => {
  const controller = new AbortController();
  const pending = fetcher().fetchPdf(`${site.origin}/slow`, controller.signal);
  setTimeout(() => controller.abort(), 100);
  expect(failure(await pending)).toEqual({ outcome: "error", detail: "aborted" });
  const already = new AbortController();
  already.abort();
  expect(failure(await fetcher().fetchPdf(`${site.origin}/good.pdf`, already.signal))).toEqual({
    outcome: "error",
    detail: "aborted",
  });
});
