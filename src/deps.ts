import { join } from "node:path";
import type { Env } from "./env";
import { randomPartId } from "./lib/ids";
import { connectPostgres, type Database, type Db, openPglite } from "./platform/db";
import { createLogger, type Logger } from "./platform/logger";

/** The adapters every layer receives; nothing else reads globals or the environment. */
export interface Deps {
  env: Env;
  database: Database;
  db: Db;
  logger: Logger;
  /** Source of new part ids; tests inject one that collides on purpose. */
  newPartId: () => string;
  /** Named readiness checks run by `/ready`. */
  readiness: Record<string, () => Promise<void>>;
}

export async function openDatabase(env: Env): Promise<Database> {
  if (env.DATABASE_URL) return connectPostgres(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  return openPglite(join(env.DATA_DIR, "pglite"));
}

/** Builds deps from configuration: the real service where configured, embedded otherwise. */
export async function createDeps(env: Env, overrides: Partial<Deps> = {}): Promise<Deps> {
  const logger = overrides.logger ?? createLogger(env.LOG_LEVEL);
  const database = overrides.database ?? (await openDatabase(env));
  const migrateOnStart = env.MIGRATE_ON_START ?? database.kind === "pglite";
  if (migrateOnStart && !overrides.database) await database.migrate();
  return {
    env,
    database,
    db: database.db,
    logger,
    newPartId: randomPartId,
    readiness: { database: () => database.ping() },
    ...overrides,
  };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.database.close();
}
