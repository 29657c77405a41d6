import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const main = new URL("../src/main.ts", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "inv-process-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  return Bun.spawn([process.execPath, main], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
}

describe("the server process", () => {
  test("refuses to start on bad configuration, naming every bad variable", async () => {
    const child = start({ PORT: "seventy", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" });
    expect(await child.exited).toBe(1);
    const stderr = await new Response(child.stderr).text();
    for (const name of ["PORT", "DATABASE_URL", "LOG_LEVEL"]) expect(stderr).toContain(name);
  });

  test("starts on the embedded default, serves, and stops cleanly on SIGTERM", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = start({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir });
    const base = `http://127.0.0.1:${port}`;
    // A fresh data directory is migrated at start; on a busy CI machine that can take a
    // while, so wait generously (the start time itself is measured by bench:http).
    let ready = 0;
    const deadline = Date.now() + 80_000;
    while (ready !== 200 && Date.now() < deadline) {
      ready = await fetch(`${base}/ready`).then(
        (res) => res.status,
        () => 0,
      );
      if (ready !== 200) await Bun.sleep(50);
    }
    expect(ready).toBe(200);
    const answer = await fetch(`${base}/api/v1/boxes/1`);
    expect(answer.status).toBe(404);
    const boxes = await fetch(`${base}/api/v1/boxes`).then((res) => res.json());
    expect(boxes).toEqual({ items: [] });

    child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    const log = await new Response(child.stdout).text();
    expect(log).toContain('"msg":"stopped"');
    // One JSON line per request: method, route, status, duration and the request id.
    const lines = log
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const line = lines.find((entry) => entry.msg === "request" && entry.path === "/api/v1/boxes/1");
    expect(line).toMatchObject({
      method: "GET",
      route: "/api/v1/boxes/:boxNo",
      status: 404,
      requestId: answer.headers.get("X-Request-Id"),
    });
    expect(typeof line?.durationMs).toBe("number");
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  }, 100_000);
});
