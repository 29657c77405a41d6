import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "../schema";

/** A Drizzle client or transaction: repositories accept either. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly db: Db;
  readonly kind: "postgres" | "pglite";
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * What this process holds of a PostgreSQL server's connections (postgres.js keeps its
   * pool private, so these are counted around the calls); absent for PGlite, which is one
   * in-process connection.
   */
  readonly pool?: PoolUse;
}

export interface PoolUse {
  /** Connections postgres.js may open (DATABASE_POOL_SIZE). */
  readonly max: number;
  /** Transactions in progress: each holds one connection to itself until it ends. */
  readonly transactions: number;
  /** Statements sent outside transactions and not answered yet (postgres.js pipelines them over the open connections). */
  readonly queries: number;
}

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** PostgreSQL server through postgres.js; `onQuery` sees every statement sent (benchmarks count them). */
export function connectPostgres(
  url: string,
  poolSize = 10,
  options: { onQuery?: (query: string) => void } = {},
): Database {
  const { onQuery } = options;
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // Short OLTP queries only: JIT compilation and parallel workers (a Gather for a 50-row
    // page) cost more to start than they save; both made listing pages several times slower.
    connection: {
      application_name: "parts-inventory",
      jit: "off",
      max_parallel_workers_per_gather: "0",
    },
    ...(onQuery && { debug: (_connection: number, query: string) => onQuery(query) }),
  });
  const pool = { max: poolSize, transactions: 0, queries: 0 };
  const db = drizzlePostgres(preparingClient(client, pool), { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    pool,
    migrate: () => migratePostgres(drizzlePostgres(client), { migrationsFolder }),
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Drizzle asks postgres.js for unnamed statements unless a query is given a name, so every
 * call is parsed and planned again. Preparing by query text lets postgres.js reuse one
 * server-side statement per distinct SQL string and connection (Drizzle's SQL strings use
 * placeholders, so they are few); measured 1.4–4× faster on short queries. Transactions
 * and savepoints hand Drizzle a new postgres.js client, so those are wrapped the same way.
 * With `use` (the top-level client), open transactions and statements in flight outside
 * them are counted for the metrics.
 */
function preparingClient<T extends postgres.Sql | postgres.TransactionSql>(
  client: T,
  use?: { transactions: number; queries: number },
): T {
  const unsafe = client.unsafe.bind(client);
  const wrapped: Record<string, unknown> = {
    unsafe: (query: string, params?: unknown[], options?: { prepare?: boolean }) => {
      const pending = unsafe(query, params as postgres.ParameterOrJSON<never>[], {
        ...options,
        prepare: true,
      });
      return use ? countedWhileAwaited(pending, use) : pending;
    },
  };
  for (const name of ["begin", "savepoint"] as const) {
    if (!(name in client)) continue;
    const open = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!.bind(
      client,
    );
    wrapped[name] = (...args: unknown[]) => {
      const work = args.pop() as (sql: postgres.TransactionSql) => unknown;
      const run = open(...args, (sql: postgres.TransactionSql) => work(preparingClient(sql)));
      if (!use || name !== "begin") return run;
      use.transactions++;
      return (run as Promise<unknown>).finally(() => use.transactions--);
    };
  }
  return Object.assign(client, wrapped);
}

/**
 * A postgres.js query runs when it is first awaited (and Drizzle may still call
 * `.values()` on it before that), so it is counted from its `then` to its answer.
 */
function countedWhileAwaited<Q extends PromiseLike<unknown>>(query: Q, use: { queries: number }) {
  const then = query.then;
  // biome-ignore lint/suspicious/noThenProperty: counting the one await that runs the query is the point
  query.then = function (this: Q, onFulfilled, onRejected) {
    use.queries++;
    let open = true;
    const settle = () => {
      if (open) use.queries--;
      open = false;
    };
    return then.call(
      this,
      (value) => {
        settle();
        return onFulfilled ? onFulfilled(value) : value;
      },
      (error: unknown) => {
        settle();
        if (onRejected) return onRejected(error);
        throw error;
      },
    ) as never;
  } as Q["then"];
  return query;
}

/** Embedded PostgreSQL (WASM), persisted in a directory or, for tests, in memory. */
export async function openPglite(dataDir: string | undefined, from?: PGlite): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = from
    ? ((await from.clone()) as PGlite)
    : await PGlite.create(dataDir ?? "memory://", { extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    ping: async () => {
      await client.query("select 1");
    },
    close: () => client.close(),
  };
}

/**
 * Rows of a raw statement. postgres.js answers an array and PGlite `{ rows }`, so raw
 * SQL goes through here; cast bigint results to int in SQL to get numbers from both.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

export { sql };

const dialect = new PgDialect();

/**
 * A raw statement turned into SQL text once: `build` gets `param(name)` placeholders, and
 * each run only fills in the values, through the session of the client or transaction it
 * is given (both drivers, inside transactions too). Building a large template from
 * Drizzle's chunks costs more CPU than running it (measured: ~12 % of a stock change).
 */
export function compileStatement<Name extends string>(
  build: (param: (name: Name) => Placeholder) => SQL,
) {
  const query = dialect.sqlToQuery(build((name) => sql.placeholder(name)));
  return async <T>(db: Db, values: Record<Name, unknown>): Promise<T[]> => {
    const prepared = db._.session.prepareQuery(query, undefined, undefined, false);
    const result: unknown = await prepared.execute(values);
    if (Array.isArray(result)) return result as T[];
    return (result as { rows: T[] }).rows;
  };
}

/** Hooks to run once the outermost `withTx` transaction of a client committed. */
const commitHooks = new WeakMap<Db, (() => void)[]>();

/**
 * Runs `fn` in one transaction; everything it writes commits together or not at all. A
 * `withTx` inside one is a savepoint whose `afterCommit` hooks wait for the outer commit.
 */
export async function withTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const outer = commitHooks.get(db);
  if (outer) {
    return db.transaction((tx) => {
      commitHooks.set(tx, outer);
      return fn(tx);
    });
  }
  const hooks: (() => void)[] = [];
  const result = await db.transaction((tx) => {
    commitHooks.set(tx, hooks);
    return fn(tx);
  });
  for (const hook of hooks) hook();
  return result;
}

/**
 * Runs `hook` once what was written through `db` is committed: after its `withTx`
 * transaction commits (never, when it rolls back), or at once outside a transaction.
 */
export function afterCommit(db: Db, hook: () => void) {
  const hooks = commitHooks.get(db);
  if (hooks) hooks.push(hook);
  else hook();
}

/**
 * Memoises a Drizzle prepared statement per client. Building SQL from the query builder
 * costs more than running a short query, so hot reads are built once per client; a
 * transaction is a new client each time and simply builds its own.
 */
export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db);
      cache.set(db, prepared);
    }
    return prepared;
  };
}
