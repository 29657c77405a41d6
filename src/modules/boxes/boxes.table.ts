import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { partsTable } from "../parts/parts.table";
import { typesTable } from "../types/types.table";

export const boxesTable = pgTable(
  "boxes",
  {
    boxNo: integer("box_no").primaryKey(),
    description: text("description").notNull().default(""),
    capacity: integer("capacity").notNull(),
    designatedTypeId: integer("designated_type_id").references(() => typesTable.id, {
      onDelete: "set null",
    }),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check("boxes_capacity_range", sql`${t.capacity} between 1 and 1000`),
    check("boxes_box_no_positive", sql`${t.boxNo} >= 1`),
  ],
);

/**
 * A slot of a box and what it holds. A slot holds one part or nothing: `partId` and a
 * positive `qty` come together, and a slot whose quantity reaches zero is freed.
 */
export const locationsTable = pgTable(
  "locations",
  {
    boxNo: integer("box_no")
      .notNull()
      .references(() => boxesTable.boxNo, { onDelete: "cascade" }),
    locNo: integer("loc_no").notNull(),
    partId: text("part_id").references(() => partsTable.id, { onDelete: "restrict" }),
    qty: integer("qty").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.boxNo, t.locNo] }),
    check("locations_loc_no_positive", sql`${t.locNo} >= 1`),
    check("locations_qty_not_negative", sql`${t.qty} >= 0`),
    check("locations_part_iff_stock", sql`(${t.partId} is null) = (${t.qty} = 0)`),
    index("locations_part_id_idx").on(t.partId).where(sql`${t.partId} is not null`),
  ],
);
