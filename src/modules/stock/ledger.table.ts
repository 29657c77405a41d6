import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { partsTable } from "../parts/parts.table";

export const ledgerReasons = ["add", "remove", "move", "receive", "build", "reorg"] as const;
export type LedgerReason = (typeof ledgerReasons)[number];

/**
 * Every quantity change of every slot. Box and slot are kept as plain numbers, not a
 * foreign key, so history outlives a box that is later deleted.
 */
export const ledgerTable = pgTable(
  "stock_ledger",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    partId: text("part_id")
      .notNull()
      .references(() => partsTable.id, { onDelete: "cascade" }),
    boxNo: integer("box_no").notNull(),
    locNo: integer("loc_no").notNull(),
    deltaQty: integer("delta_qty").notNull(),
    reason: text("reason", { enum: ledgerReasons }).notNull(),
    refId: text("ref_id"),
    at: timestamp("at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check("stock_ledger_delta_not_zero", sql`${t.deltaQty} <> 0`),
    check(
      "stock_ledger_reason_known",
      sql`${t.reason} in ('add', 'remove', 'move', 'receive', 'build', 'reorg')`,
    ),
    index("stock_ledger_part_id_id_idx").on(t.partId, t.id),
  ],
);
