import { join } from "node:path";
import type { Env } from "./env";
import { randomPartId } from "./lib/ids";
import { type Ai, createAi } from "./platform/ai";
import { connectPostgres, type Database, type Db, openPglite } from "./platform/db";
import { createLogger, type Logger } from "./platform/logger";
import { createMetrics, type Metrics } from "./platform/metrics";
import { createSafeFetcher, type SafeFetcher } from "./platform/safe-fetch";
import type { Storage } from "./platform/storage";
import { openDirectoryStorage } from "./platform/storage-directory";
import { openS3Storage } from "./platform/storage-s3";

/** The adapters every layer receives; nothing else reads globals or the environment. */
export interface Deps {
  env: Env;
  database: Database;
  db: Db;
  logger: Logger;
  storage: Storage;
  /** The AI model; undefined when OPENAI_API_KEY is unset (AI endpoints answer 503). */
  ai: Ai | undefined;
  /** This process's Prometheus registry (`GET /metrics`). */
  metrics: Metrics;
  /** Fetches PDFs from URLs a model proposed, behind the SSRF rules (datasheet discovery). */
  fetcher: SafeFetcher;
  /** Source of new part ids; tests inject one that collides on purpose. */
  newPartId: () => string;
  /** Named readiness checks run by `/ready`. */
  readiness: Record<string, () => Promise<void>>;
}

export async function openDatabase(env: Env): Promise<Database> {
  if (env.DATABASE_URL) return connectPostgres(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  return openPglite(join(env.DATA_DIR, "pglite"));
}

/** S3 when S3_ENDPOINT is set, otherwise files under DATA_DIR/files. */
export function openStorage(env: Env): Storage {
  if (env.S3_ENDPOINT) {
    return openS3Storage({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      buckets: { images: env.S3_BUCKET_IMAGES, docs: env.S3_BUCKET_DOCS },
    });
  }
  return openDirectoryStorage(join(env.DATA_DIR, "files"));
}

export function openFetcher(env: Env): SafeFetcher {
  return createSafeFetcher({
    allowHosts: env.FETCH_ALLOW_HOSTS,
    maxBytes: env.MAX_DATASHEET_BYTES,
  });
}

/** Builds deps from configuration: the real service where configured, embedded otherwise. */
export async function createDeps(env: Env, overrides: Partial<Deps> = {}): Promise<Deps> {
  const logger = overrides.logger ?? createLogger(env.LOG_LEVEL);
  const database = overrides.database ?? (await openDatabase(env));
  const migrateOnStart = env.MIGRATE_ON_START ?? database.kind === "pglite";
  if (migrateOnStart && !overrides.database) await database.migrate();
  const storage = overrides.storage ?? openStorage(env);
  // The embedded default prepares its directories itself, as it migrates its database;
  // S3 buckets are created by `bun run storage:init`.
  if (storage.kind === "directory" && !overrides.storage) await storage.ensureBuckets();
  const metrics = overrides.metrics ?? createMetrics();
  watchPool(metrics, database);
  return {
    env,
    database,
    db: database.db,
    logger,
    storage,
    ai: createAi(env),
    metrics,
    fetcher: overrides.fetcher ?? openFetcher(env),
    newPartId: randomPartId,
    readiness: { database: () => database.ping(), storage: () => storage.ping() },
    ...overrides,
  };
}

function watchPool(metrics: Metrics, database: Database) {
  const pool = database.pool;
  if (!pool) return;
  metrics.gaugeOnScrape(
    "db_pool_connections_max",
    "Connections the PostgreSQL pool may open (DATABASE_POOL_SIZE).",
    [],
    async () => [{ labels: {}, value: pool.max }],
  );
  metrics.gaugeOnScrape(
    "db_pool_transactions_open",
    "Transactions in progress; each holds one pool connection until it ends.",
    [],
    async () => [{ labels: {}, value: pool.transactions }],
  );
  metrics.gaugeOnScrape(
    "db_pool_queries_in_flight",
    "Statements sent outside transactions and not answered yet (pipelined over the open connections).",
    [],
    async () => [{ labels: {}, value: pool.queries }],
  );
}

export async function closeDeps(deps: Deps): Promise<void> {
  await Promise.all([deps.database.close(), deps.storage.close()]);
}
