import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const main = new URL("../../src/main.ts", import.meta.url).pathname;

/** A port nobody listens on right now (the OS picks it; it is closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export interface ServerProcess {
  base: string;
  /** The server's complete JSON log lines so far (one `msg: "request"` line per request). */
  logLines(): Record<string, unknown>[];
  stop(): Promise<number>;
}

/**
 * Starts the real server (`bun src/main.ts`) on a free loopback port with the embedded
 * defaults (PGlite and directory storage in a new temporary DATA_DIR), and waits for
 * `/ready`. `stop` sends SIGTERM, waits for the exit and removes the data directory.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), "inv-server-"));
  const port = await freePort();
  const child = Bun.spawn([process.execPath, main], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  let stdout = "";
  let stderr = "";
  const drain = async (stream: ReadableStream<Uint8Array>, append: (text: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) append(decoder.decode(chunk, { stream: true }));
  };
  const drained = Promise.all([
    drain(child.stdout, (text) => {
      stdout += text;
    }),
    drain(child.stderr, (text) => {
      stderr += text;
    }),
  ]);
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    const code = await child.exited;
    await drained;
    rmSync(dataDir, { recursive: true, force: true });
    return code;
  };
  // A fresh data directory is migrated at start (several seconds on a busy machine).
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const status = await fetch(`${base}/ready`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) {
      return {
        base,
        logLines: () =>
          stdout
            .slice(0, stdout.lastIndexOf("\n") + 1)
            .split("\n")
            .filter((line) => line.startsWith("{"))
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        stop,
      };
    }
    await Bun.sleep(100);
  }
  await stop();
  throw new Error(`the server did not become ready on ${base}:\n${stderr}\n${stdout.slice(-4000)}`);
}
