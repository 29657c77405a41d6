import { sql } from "drizzle-orm";
import { closeDeps, createDeps, type Deps } from "../deps";
import { loadEnv } from "../env";
import { type Db, queryRows } from "../platform/db";

export class NotEmptyError extends Error {}

/** Seeds only fill an empty inventory: refuses when any part, box or ledger row exists. */
export async function assertEmptyInventory(db: Db) {
  const [row] = await queryRows<{ parts: number; boxes: number; ledger: number }>(
    db,
    sql`select (select count(*) from parts)::int as parts, (select count(*) from boxes)::int as boxes,
      (select count(*) from stock_ledger)::int as ledger`,
  );
  if (row && (row.parts > 0 || row.boxes > 0 || row.ledger > 0)) {
    throw new NotEmptyError(
      `The database is not empty (${row.parts} parts, ${row.boxes} boxes, ${row.ledger} ledger rows); seeds only fill an empty inventory.`,
    );
  }
}

/** Flag value of `--name value` in argv. */
export function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/**
 * Runs a seed as a command: configuration from the environment, migrations applied, the
 * seed's summary printed; a database that is not empty exits 1 with the reason.
 */
export async function runSeed(seed: (deps: Deps) => Promise<string>) {
  const deps = await createDeps(loadEnv());
  try {
    await deps.database.migrate();
    console.log(await seed(deps));
  } catch (error) {
    if (!(error instanceof NotEmptyError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    await closeDeps(deps);
  }
}
