import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * First answers of requests sent with an `Idempotency-Key`. A row is inserted before the
 * work and filled after it in the same transaction, so it only ever commits complete, and
 * a concurrent request with the same key waits on it instead of running the work again.
 */
export const idempotencyKeysTable = pgTable(
  "idempotency_keys",
  {
    /** The operation and resource, e.g. `addStock:BZQP`: a key is only reused within it. */
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status"),
    response: jsonb("response"),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("idempotency_keys_created_at_idx").on(t.createdAt),
  ],
);
