import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import { and, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import { compileStatement, type Db, withTx } from "../platform/db";
import { conflict } from "./errors";
import { idempotencyKeysTable as keys } from "./idempotency.table";
import type { MaintenanceTask } from "./jobs";
import { isUniqueViolation } from "./pg-errors";

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
/** Every this many keyed requests of a process, one statement purges a batch of expired keys. */
export const PURGE_EVERY = 100;
const PURGE_BATCH = 500;

const keyReused = (key: string) =>
  conflict(
    "idempotency.key_reused",
    `Idempotency-Key "${key}" was already used with a different request body; use a new key.`,
  );

const keyContended = (key: string) =>
  conflict(
    "idempotency.key_contended",
    `Idempotency-Key "${key}" kept changing hands while this request ran; retry it.`,
  );

function hashBody(body: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(body) ?? "")
    .digest("hex");
}

/** A key as a statement records it: where, which, and the hash of the request's body. */
export interface KeyClaim {
  scope: string;
  key: string;
  requestHash: string;
}

export type KeyParam = keyof KeyClaim | "status";
type KeyPlaceholder = (name: KeyParam) => Placeholder;

/**
 * Deletes a batch of expired keys nobody is touching. A statement of its own, run now and
 * then (`purgeExpiredKeysNowAndThen`) rather than inside every keyed change: the table
 * grows from empty, and a plan cached while it was small scanned all of it on every
 * change (bench:stock: 2,000 rows read per change after a few seconds).
 */
const purgeExpiredKeysStatement = compileStatement<never>(
  () => sql`
    delete from ${keys} where (scope, key) in (
      select scope, key from ${keys} where created_at < ${KEY_LIFETIME}
      order by created_at limit ${sql.raw(String(PURGE_BATCH))} for update skip locked
    )
    returning scope`,
);

/** Maintenance: every expired key goes, batch by batch, also on a server nobody writes to. */
export const expireIdempotencyKeysTask: MaintenanceTask = {
  name: "idempotency.expire-keys",
  everyMs: 10 * 60_000,
  async run(deps) {
    while ((await purgeExpiredKeysStatement(deps.db, {})).length === PURGE_BATCH) {}
  },
};

let keyedRequests = 0;

/** Purges on the first keyed request of the process and on every `PURGE_EVERY`th after it. */
async function purgeExpiredKeysNowAndThen(db: Db) {
  if (keyedRequests++ % PURGE_EVERY === 0) await purgeExpiredKeysStatement(db, {});
}

/**
 * Claims the key in one statement; false when it exists and has not expired. An expired
 * row is taken over (new hash, no answer, new lifetime). A concurrent claim of the same
 * key waits here until the first transaction ends: on commit it finds the row, on
 * rollback it claims it.
 */
const claimKeyStatement = compileStatement<"scope" | "key" | "requestHash">(
  (p) => sql`
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

/**
 * A CTE (to follow other CTEs of a statement) that records `answers` — a select of at
 * most one jsonb value, empty when the work did not happen — as the key's first answer.
 * A plain insert: a key already there, even one of a transaction still running, fails the
 * statement with a unique violation once that transaction commits, and the statement's
 * own changes go with it.
 */
export const recordAnswerUnderKey = (p: KeyPlaceholder, answers: SQL) => sql`
    recorded as (
      insert into ${keys} (scope, key, request_hash, status, response)
      select ${p("scope")}, ${p("key")}, ${p("requestHash")}, ${p("status")}::int, answer.response
      from (${answers}) answer(response)
    )`;

const deleteExpiredKeyStatement = compileStatement<"scope" | "key">(
  (p) => sql`
    delete from ${keys}
    where scope = ${p("scope")} and key = ${p("key")} and created_at < ${KEY_LIFETIME}`,
);

const liveKeyStatement = compileStatement<"scope" | "key">(
  (p) => sql`
    select request_hash as "requestHash", response, created_at < ${KEY_LIFETIME} as expired
    from ${keys} where scope = ${p("scope")} and key = ${p("key")}`,
);

async function firstResponse(tx: Db, scope: string, key: string, requestHash: string) {
  const [row] = await tx
    .select({ requestHash: keys.requestHash, response: keys.response })
    .from(keys)
    .where(and(eq(keys.scope, scope), eq(keys.key, key)));
  if (!row || row.requestHash !== requestHash) throw keyReused(key);
  return row.response;
}

const ONE_STATEMENT_ATTEMPTS = 3;

/**
 * Runs work that is one statement by itself, at most once per key, with no transaction
 * around it: `statement` does the work and records its answer under the claim in the same
 * statement (`recordAnswerUnderKey`), or answers undefined when it did nothing (refused,
 * nothing recorded). A key already used fails the statement with its unique violation —
 * a concurrent request with the same key waits for the first to commit — and the first
 * answer is returned instead; the same key with another body is 409. When `statement`
 * did nothing, a live key's first answer still wins (a retry after the first attempt
 * changed what the work would find); undefined means the key was free. An expired key is
 * deleted and the statement run again. One statement when the key is new, two on a retry.
 */
export async function runIdempotentStatement<T>(
  db: Db,
  request: IdempotentRequest & { key: string },
  statement: (claim: KeyClaim) => Promise<T | undefined>,
): Promise<T | undefined> {
  const claim = { scope: request.scope, key: request.key, requestHash: hashBody(request.body) };
  await purgeExpiredKeysNowAndThen(db);
  for (let attempt = 1; ; attempt++) {
    let answer: T | undefined;
    let keyTaken = false;
    try {
      answer = await statement(claim);
    } catch (error) {
      if (!isUniqueViolation(error, "idempotency_keys_scope_key_pk")) throw error;
      keyTaken = true;
    }
    if (answer !== undefined) return answer;
    const [row] = await liveKeyStatement<{
      requestHash: string;
      response: unknown;
      expired: boolean;
    }>(db, claim);
    if (!row || row.expired) {
      if (!keyTaken) return undefined;
      // Taken a moment ago, gone or expired now: take it over and run again.
      if (attempt === ONE_STATEMENT_ATTEMPTS) throw keyContended(claim.key);
      if (row) await deleteExpiredKeyStatement(db, claim);
      continue;
    }
    if (row.requestHash !== claim.requestHash) throw keyReused(claim.key);
    return row.response as T;
  }
}

/**
 * Runs `work` in one transaction, at most once per key. The first successful answer is
 * stored with the work's changes; a retry with the same key and body answers it again
 * without running `work`. A failed first attempt stores nothing, so it can be retried.
 * Keys expire after 24 h. Any stock-changing service wraps its transaction in this (a
 * one-slot stock change uses `runIdempotentStatement`: no transaction at all).
 */
export async function runIdempotent<T>(
  db: Db,
  request: IdempotentRequest,
  status: number,
  work: (tx: Db) => Promise<T>,
): Promise<T> {
  const { key, scope } = request;
  if (key === undefined) return withTx(db, work);
  const requestHash = hashBody(request.body);
  await purgeExpiredKeysNowAndThen(db);
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
