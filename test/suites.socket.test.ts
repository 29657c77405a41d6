// The fuzz and conformance suites again, every case sent over a listening server through
// keep-alive connections (TEST_TRANSPORT=socket, see test/support/app.ts) rather than
// `app.request`: a refusal that broke its connection fails the next case. Run as a child
// `bun test` so those files stay plain; its figures are printed for the record.
import { expect, test } from "bun:test";

const SUITES = ["test/fuzz.http.test.ts", "test/openapi-conformance.http.test.ts"];

test("fuzz and conformance over one listening server: no connection errors, no 5xx", async () => {
  const child = Bun.spawn([process.execPath, "test", "--timeout", "120000", ...SUITES], {
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...process.env, TEST_TRANSPORT: "socket" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  const log = out + err;
  const stats =
    /over a listening server: (\d+) requests on (\d+) connections, (\d+) connection errors, (\d+) 5xx/.exec(
      log,
    );
  // The child's own "N pass" lines stay out of this log (CI adds those up).
  const failures = log.split("\n").filter((line) => /^\(fail\)|error:/.test(line));
  expect(failures).toEqual([]);
  expect(code).toBe(0);
  expect(stats).not.toBeNull();
  const [requests, connections, connectionErrors, serverErrors] = stats!.slice(1).map(Number);
  console.error(
    `[suites over a socket] ${requests} requests on ${connections} connections, ${connectionErrors} connection errors, ${serverErrors} 5xx`,
  );
  expect(connectionErrors).toBe(0);
  expect(serverErrors).toBe(0);
  expect(requests).toBeGreaterThan(1000);
  // Keep-alive: one connection per suite, plus one for each refusal too large to read.
  expect(connections).toBeLessThan(10);
}, 300_000);
