import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { machineCanRun } from "./support/machine";
import { type ServerProcess, startServerProcess } from "./support/server-process";

// /docs in a real browser (Debian's Chromium, driven by playwright-core) with the network
// limited to loopback: every other request is refused and recorded. The reference must
// list every operation of the document, and its "Test Request" must reach this server.

const CHROMIUM = "/usr/bin/chromium";
// Without the background-networking flags Chromium keeps calling outside hosts on its own.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const canRun = machineCanRun(`Chromium at ${CHROMIUM}`, existsSync(CHROMIUM));
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  if (!canRun) return;
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium); .ci/run does.`,
    );
  }
  server = await startServerProcess();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  if (server) expect(await server.stop()).toBe(0);
});

type Document = { paths: Record<string, Record<string, { summary: string }>> };

function isLoopback(url: URL) {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

describe.if(canRun)("/docs in headless Chromium, offline", () => {
  test("lists every operation and its Test Request reaches the server", async () => {
    const document = (await fetch(`${server.base}/openapi.json`).then((res) =>
      res.json(),
    )) as Document;
    const page = await browser.newPage();
    const refused: string[] = [];
    const loopback: string[] = [];
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === "data:" || url.protocol === "blob:") return route.continue();
      if (!isLoopback(url)) {
        refused.push(url.href);
        return route.abort("blockedbyclient");
      }
      loopback.push(`${route.request().method()} ${url.pathname}`);
      return route.continue();
    });

    await page.goto(`${server.base}/docs`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Test Request (get /health)" }).waitFor();
    expect(loopback).toContain("GET /docs/assets/standalone.js");
    expect(loopback).toContain("GET /openapi.json");

    // Every tag's group opened, the sidebar names every operation by its summary.
    const closed = page.getByRole("button", { name: /^Open Group - / });
    while ((await closed.count()) > 0) await closed.first().click();
    const text = (await page.locator("body").textContent()) ?? "";
    const summaries = Object.values(document.paths).flatMap((path) =>
      Object.values(path).map((operation) => operation.summary),
    );
    expect(summaries.length).toBeGreaterThan(50);
    expect(summaries.filter((summary) => !text.includes(summary))).toEqual([]);

    // "Test Request" on GET /ready, then Send: the server logs the request and the client
    // shows the server's answer.
    const before = server.logLines().length;
    await page.getByRole("button", { name: "Test Request (get /ready)" }).click();
    await page.getByRole("button", { name: /^Send get request to / }).click();
    const answer = page.getByTestId("response-body-raw");
    await answer.getByText('"database": "ok"').waitFor({ timeout: 15_000 });
    await page.getByText("200 OK").first().waitFor();
    // The server's log line may arrive a moment after the answer (stdout is a pipe).
    const seen = () =>
      server
        .logLines()
        .slice(before)
        .filter((line) => line.msg === "request")
        .map((line) => `${line.method} ${line.path} ${line.status}`);
    let requests = seen();
    for (let waited = 0; !requests.includes("GET /ready 200") && waited < 5000; waited += 100) {
      await Bun.sleep(100);
      requests = seen();
    }
    expect(requests).toContain("GET /ready 200");

    expect(refused).toEqual([]);
    await page.close();
  }, 120_000);
});
