import { readFileSync } from "node:fs";
import { type Subprocess, spawn } from "bun";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createApp } from "../src/app";
import { createDeps } from "../src/deps";
import { parseEnv } from "../src/env";
import { connectPostgres } from "../src/platform/db";
import { seedBench } from "../src/scripts/seed-bench";

export const PG_ADMIN_URL =
  process.env.PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string) {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(name: string) {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
}

/** A fresh, migrated database named after the bench; answers its URL. */
export async function createMigratedDatabase(bench: string) {
  const name = `inv_bench_${bench}_${Date.now().toString(36)}`;
  await createDatabase(name);
  const url = databaseUrl(name);
  const database = connectPostgres(url, 2);
  await database.migrate();
  await database.close();
  return { name, url };
}

/**
 * The database a bench runs on: the one BENCH_DATABASE names, kept as it is (already seeded
 * by seed:bench), or a new one filled with `parts` parts by seedBench and analysed.
 */
export async function seededDatabase(bench: string, parts: number) {
  const kept = process.env.BENCH_DATABASE;
  const name = kept ?? `inv_bench_${bench}_${Date.now().toString(36)}`;
  const url = databaseUrl(name);
  if (!kept) {
    await createDatabase(name);
    const database = connectPostgres(url, 2);
    await database.migrate();
    await seedBench(database.db, { parts });
    await database.db.execute(sql`vacuum analyze`);
    await database.close();
  }
  return { name, url, kept: kept !== undefined };
}

export async function dropDatabase(name: string) {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

export function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

export interface Started {
  process: Subprocess;
  url: string;
  msToReady: number;
  stop(): Promise<void>;
}

/** Starts a server process and measures the time from spawn to `readyPath` answering 200. */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  readyPath = "/ready",
  timeoutMs = 30_000,
  port = freePort(),
): Promise<Started> {
  const started = performance.now();
  const child = spawn(args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdout: "ignore",
    stderr: "inherit",
  });
  const url = `http://127.0.0.1:${port}`;
  while (performance.now() - started < timeoutMs) {
    try {
      const res = await fetch(url + readyPath);
      if (res.status === 200) {
        const msToReady = performance.now() - started;
        return {
          process: child,
          url,
          msToReady,
          async stop() {
            child.kill("SIGTERM");
            await child.exited;
          },
        };
      }
    } catch {
      // not listening yet
    }
    await Bun.sleep(5);
  }
  child.kill("SIGKILL");
  throw new Error(`${args.join(" ")} was not ready within ${timeoutMs} ms`);
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Ids of a process's child processes, from /proc (Linux). */
export function childPids(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return children ? children.split(" ").map(Number) : [];
}

/** A memory figure of a process in bytes from /proc (Linux): `VmRSS` now, `VmHWM` its peak. */
export function memoryBytesOf(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1] ?? 0) * 1024;
}

/**
 * The app in this process on `url`, counting the statements it sends (postgres.js `debug`
 * through `onQuery`): `statementsOf` sends one request, fails on a non-2xx answer and
 * answers how many statements it took, BEGIN and COMMIT included.
 */
export async function statementCountingApp(url: string) {
  let statements = 0;
  // One connection: its first statement fetches postgres.js's array types, once.
  const database = connectPostgres(url, 1, { onQuery: () => statements++ });
  const deps = await createDeps(parseEnv({ DATABASE_URL: url, LOG_LEVEL: "silent" }), {
    database,
  });
  const app = createApp(deps);
  return {
    async statementsOf(path: string, init?: RequestInit) {
      statements = 0;
      const res = await app.request(path, init);
      const text = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
      return statements;
    },
    close: () => database.close(),
  };
}
