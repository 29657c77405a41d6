import { Agent, request as httpRequest } from "node:http";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { createApp } from "../../src/app";
import { closeDeps, createDeps, type Deps } from "../../src/deps";
import { parseEnv } from "../../src/env";
import type { JobKind } from "../../src/lib/jobs";
import { jobKinds, maintenanceTasks } from "../../src/modules/index";
import { type JobRuntime, startJobRuntime } from "../../src/modules/jobs/jobs.runtime";
import { connectPostgres, type Database, openPglite } from "../../src/platform/db";
import { serveHttp } from "../../src/platform/http-server";
import { deleteTestTopology, testAmqpUrl } from "./amqp";
import { createTestStorage } from "./storage";

const serverUrl = process.env.TEST_DATABASE_URL;
/**
 * `TEST_TRANSPORT=socket`: every test app answers over a listening server (the bridge
 * src/main.ts runs) instead of `app.request`, reached through one keep-alive connection at
 * a time (a node:http Agent with one socket, which fails a request sent on a connection
 * the server broke rather than retrying it elsewhere).
 */
export const overSocket = process.env.TEST_TRANSPORT === "socket";
/** What went over the socket in this process; the preload prints it at the end. */
export const socketStats = { requests: 0, connections: 0, connectionErrors: 0, serverErrors: 0 };

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** A fetch-like call through a keep-alive Agent, answering a Response. */
async function requestOverAgent(agent: Agent, port: number, path: string, init?: RequestInit) {
  const request = new Request(`http://127.0.0.1:${port}${path}`, init);
  const headers: Record<string, string> = Object.fromEntries(request.headers);
  let body: Buffer | undefined;
  if (request.body) {
    // A FormData body's type (with its boundary) is on the blob, not always in the headers.
    const blob = await request.blob();
    body = Buffer.from(await blob.arrayBuffer());
    headers["content-type"] ??= blob.type;
    headers["content-length"] = String(body.length);
  }
  return new Promise<Response>((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, method: request.method, headers, agent },
      (res) => {
        if (!req.reusedSocket) socketStats.connections++;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of [value ?? []].flat()) answer.append(name, one);
          }
          const status = res.statusCode ?? 0;
          const bytes = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks);
          resolve(new Response(bytes, { status, headers: answer }));
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
const runId = `${process.pid}_${Date.now().toString(36)}`;
let counter = 0;

/** One migrated template per test process; every test app starts from a copy of it. */
let template: Promise<{ pglite?: PGlite; database?: string }> | undefined;

function withDatabase(url: string, name: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function prepareTemplate() {
  if (!serverUrl) {
    const database = await openPglite(undefined);
    await database.migrate();
    const raw = (database.db as unknown as { $client: PGlite }).$client;
    return { pglite: raw };
  }
  const name = `inv_test_tpl_${runId}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const database = connectPostgres(withDatabase(serverUrl, name), 1);
  await database.migrate();
  await database.close();
  return { database: name };
}

async function freshDatabase(): Promise<{
  database: Database;
  url?: string;
  drop: () => Promise<void>;
}> {
  await prepareTemplateOnce();
  const ready = (await template)!;
  if (ready.pglite) {
    const database = await openPglite(undefined, ready.pglite);
    return { database, drop: async () => {} };
  }
  const name = `inv_test_${runId}_${++counter}`;
  const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${ready.database}"`);
  await admin.end();
  const url = withDatabase(serverUrl!, name);
  const database = connectPostgres(url, 20);
  return {
    database,
    url,
    drop: async () => {
      const cleanup = postgres(serverUrl!, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * Builds the migrated template once, before any test file runs: a cold PGlite start
 * takes seconds (far more on a busy machine), which no single file's hook should pay.
 */
export async function prepareTemplateOnce() {
  template ??= prepareTemplate();
  await template;
}

/** Drops this process's template database; the preload runs it after all tests. */
export async function dropTemplate() {
  if (!template || !serverUrl) return;
  const { database } = await template;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.end();
}

export interface TestResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  /** `app.request`, or over the listening server with `TEST_TRANSPORT=socket`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<TestResponse<T>>;
  /** What runs this app's jobs; undefined with `jobs: false`. */
  jobs: JobRuntime | undefined;
  /** The app's own PostgreSQL database (for a second process); undefined on PGlite. */
  databaseUrl: string | undefined;
  close(): Promise<void>;
}

async function waitForQueue(deps: Deps, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await deps.readiness.queue!();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(20);
    }
  }
}

const defaultRetryDelays = parseEnv({}).JOB_RETRY_DELAYS_MS;
let prefixCounter = 0;
const uniqueAmqpPrefix = () => `inv_test_${runId}_${++prefixCounter}`;

/**
 * A fresh database, fresh storage (its own buckets on the test S3 server, or a temporary
 * directory) and an app over them. `env` entries override configuration; `deps` replace
 * adapters, e.g. `{ storage: openUnreachableStorage() }` from ./storage for a stopped S3.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    deps?: Partial<Deps>;
    /**
     * Extra job kinds for this app (tests' own), `role: "api"` to only relay jobs to
     * RabbitMQ (a worker process of the test's runs them), or `false` to run no jobs.
     */
    jobs?: { kinds?: JobKind[]; role?: "api" | "worker" } | false;
  } = {},
): Promise<TestApp> {
  // With TEST_AMQP_URL, an app that asks for jobs (`jobs: {...}`) gets a RabbitMQ topology
  // of its own (a unique prefix) and an in-process worker consuming it, as `bun run worker`
  // would; every other app, and every app without TEST_AMQP_URL, runs its jobs in the
  // embedded runner, as `npm start` does. (Quorum queues are costly to declare and delete:
  // a topology for each of the hundred-odd apps of a run overloaded the broker.)
  const amqp = testAmqpUrl && options.jobs ? uniqueAmqpPrefix() : undefined;
  const env = parseEnv({
    LOG_LEVEL: "silent",
    JOB_RETRY_DELAYS_MS: "200,500",
    ...(amqp && { AMQP_URL: testAmqpUrl, AMQP_PREFIX: amqp }),
    ...options.env,
  });
  const { database, url: databaseUrl, drop } = await freshDatabase();
  const own = options.deps?.storage ? undefined : await createTestStorage();
  const deps = await createDeps(env, { database, storage: own?.storage, ...options.deps });
  let jobs: JobRuntime | undefined;
  if (options.jobs !== false) {
    jobs = await startJobRuntime(deps, {
      role: (env.AMQP_URL && options.jobs?.role) || (env.AMQP_URL ? "worker" : "api"),
      kinds: [...jobKinds, ...(options.jobs?.kinds ?? [])],
      tasks: maintenanceTasks,
    });
  }
  // Tests start once the broker is connected, so a check of `/ready` does not race it.
  if (amqp && deps.env.AMQP_URL === testAmqpUrl) await waitForQueue(deps);
  const app = createApp(deps);
  const server = overSocket
    ? await serveHttp(app.fetch, { port: 0, hostname: "127.0.0.1", idleTimeoutSeconds: 30 })
    : undefined;
  const agent = server && new Agent({ keepAlive: true, maxSockets: 1 });
  const send = async (path: string, init?: RequestInit): Promise<Response> => {
    if (!server || !agent) return app.request(path, init);
    socketStats.requests++;
    let res: Response;
    try {
      res = await requestOverAgent(agent, server.port, path, init);
    } catch (error) {
      socketStats.connectionErrors++;
      throw error;
    }
    if (res.status >= 500) socketStats.serverErrors++;
    return res;
  };
  return {
    app,
    deps,
    fetch: send,
    async request<T>(
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)["Content-Type"] ??= "application/json";
      }
      const res = await send(path, init);
      const type = res.headers.get("Content-Type") ?? "";
      const parsed = type.includes("json") ? await res.json() : await res.text();
      return { status: res.status, headers: res.headers, body: parsed as T };
    },
    jobs,
    databaseUrl,
    async close() {
      agent?.destroy();
      await server?.stop(false);
      await jobs?.stop(5000);
      // A worker process of the test may have declared the default delays' queues too.
      if (amqp) await deleteTestTopology(amqp, [...env.JOB_RETRY_DELAYS_MS, ...defaultRetryDelays]);
      await closeDeps(deps);
      await Promise.all([drop(), own?.cleanup()]);
    },
  };
}

/** Shape of a problem+json body, for assertions. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { path: string; message: string }[];
}
