import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import { and, eq, sql } from "drizzle-orm";
import { compileStatement, type Db, withTx } from "../platform/db";
import { conflict } from "./errors";
import { idempotencyKeysTable as keys } from "./idempotency.table";

/** Request headers of a route that honours `Idempotency-Key`. */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description:
        "Any unique string (a UUID). A retry with the same key and body within 24 h answers the first response and changes nothing; the same key with another body is 409.",
      example: "3f1c2e7a-5b8d-4c2e-9a51-0d7f6b1e2c44",
    }),
});

export interface IdempotentRequest {
  /** The client's `Idempotency-Key`; without one the work simply runs. */
  key: string | undefined;
  /** The operation and resource, e.g. `addStock:BZQP`. */
  scope: string;
  /** The validated request body: a retry must send the same one. */
  body: unknown;
}

const KEY_LIFETIME = sql`now() - interval '24 hours'`;
const PURGE_BATCH = 100;

const keyReused = (key: string) =>
  conflict(
    "idempotency.key_reused",
    `Idempotency-Key "${key}" was already used with a different request body; use a new key.`,
  );

function hashBody(body: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(body) ?? "")
    .digest("hex");
}

/**
 * Claims the key in one statement; false when it exists and has not expired. An expired
 * row is taken over (new hash, no answer, new lifetime), and a batch of other expired keys
 * nobody is touching is purged on the way. A concurrent claim of the same key waits here
 * until the first transaction ends: on commit it finds the row, on rollback it claims it.
 */
const claimKeyStatement = compileStatement<"scope" | "key" | "requestHash">(
  (p) => sql`
    with purged as (
      delete from ${keys} where (scope, key) in (
        select scope, key from ${keys}
        where created_at < ${KEY_LIFETIME} and (scope, key) <> (${p("scope")}, ${p("key")})
        limit ${sql.raw(String(PURGE_BATCH))} for update skip locked
      )
    )
    insert into ${keys} (scope, key, request_hash)
    values (${p("scope")}, ${p("key")}, ${p("requestHash")})
    on conflict (scope, key) do update
      set request_hash = excluded.request_hash, status = null, response = null,
          created_at = now()
      where ${keys}.created_at < ${KEY_LIFETIME}
    returning key`,
);

async function claimKey(tx: Db, scope: string, key: string, requestHash: string) {
  const rows = await claimKeyStatement(tx, { scope, key, requestHash });
  return rows.length > 0;
}

const storeResponseStatement = compileStatement<"scope" | "key" | "status" | "response">(
  (p) => sql`
    update ${keys} set status = ${p("status")}::int, response = ${p("response")}::jsonb
    where scope = ${p("scope")} and key = ${p("key")}`,
);

async function firstResponse(tx: Db, scope: string, key: string, requestHash: string) {
  const [row] = await tx
    .select({ requestHash: keys.requestHash, response: keys.response })
    .from(keys)
    .where(and(eq(keys.scope, scope), eq(keys.key, key)));
  if (!row || row.requestHash !== requestHash) throw keyReused(key);
  return row.response;
}

/**
 * Runs `work` in one transaction, at most once per key. The first successful answer is
 * stored with the work's changes; a retry with the same key and body answers it again
 * without running `work`. A failed first attempt stores nothing, so it can be retried.
 * Keys expire after 24 h. Any stock-changing service wraps its transaction in this.
 */
export function runIdempotent<T>(
  db: Db,
  request: IdempotentRequest,
  status: number,
  work: (tx: Db) => Promise<T>,
): Promise<T> {
  const { key, scope } = request;
  if (key === undefined) return withTx(db, work);
  const requestHash = hashBody(request.body);
  return withTx(db, async (tx) => {
    if (!(await claimKey(tx, scope, key, requestHash))) {
      return (await firstResponse(tx, scope, key, requestHash)) as T;
    }
    const result = await work(tx);
    const response = JSON.stringify(result);
    await storeResponseStatement(tx, { scope, key, status, response });
    return result;
  });
}
