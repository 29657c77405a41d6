import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type SQL, sql } from "drizzle-orm";
import { appErrorForPgError, isReferenceGone, pgError } from "../src/lib/pg-errors";
import { createTestApp, type TestApp } from "./support/app";

// Real refusals from the database under test (postgres.js or PGlite, wrapped by Drizzle):
// the one mapping in src/lib/pg-errors.ts must find each code through either driver's
// error shape and give it the problem a client can act on.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t.close());

async function refusal(query: SQL) {
  try {
    await t.deps.db.execute(query);
  } catch (error) {
    return error;
  }
  throw new Error("the statement was expected to fail");
}

const raise = (code: string) =>
  sql.raw(`do $$ begin raise exception 'test' using errcode = '${code}'; end $$`);

describe("PostgreSQL refusals become problems", () => {
  test.each([
    ["unique", sql`insert into types (name) values ('relay')`, 409, "db.duplicate"],
    [
      "foreign key",
      sql`insert into parts (id, description, type_id) values ('ZZZZ', 'x', 999999)`,
      409,
      "db.reference_conflict",
    ],
    ["check", sql`insert into boxes (box_no, capacity) values (999, 0)`, 409, "db.rule_violation"],
    ["int4 overflow", sql`select 2147483647::int + 1`, 409, "db.number_out_of_range"],
    ["NUL in text", sql`select ${"a\u0000b"}::text`, 400, "request.unstorable_text"],
    ["serialization failure", raise("40001"), 409, "db.concurrent_change"],
    ["deadlock", raise("40P01"), 409, "db.concurrent_change"],
    ["lock not available", raise("55P03"), 409, "db.concurrent_change"],
    ["too many connections", raise("53300"), 503, "db.unavailable"],
  ] as const)("%s", async (_, query, status, code) => {
    const error = await refusal(query);
    expect(appErrorForPgError(error)).toMatchObject({ status, code });
  });

  test("a syntax error or any other bug stays unmapped (a 500)", async () => {
    const error = await refusal(sql`select * from no_such_table`);
    expect(pgError(error)?.code).toBe("42P01");
    expect(appErrorForPgError(error)).toBeUndefined();
    expect(appErrorForPgError(new Error("plain"))).toBeUndefined();
  });

  test("a vanished reference is recognised by the table it points at", async () => {
    const error = await refusal(
      sql`insert into parts (id, description, type_id) values ('ZZZZ', 'x', 999999)`,
    );
    expect(isReferenceGone(error, "types")).toBe(true);
    expect(isReferenceGone(error, "parts")).toBe(false);
  });
});
