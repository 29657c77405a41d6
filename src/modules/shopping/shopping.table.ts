import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { partsTable } from "../parts/parts.table";
import { projectsTable, requirementsTable } from "../projects/projects.table";
import { typesTable } from "../types/types.table";

export const shoppingStatuses = ["open", "received"] as const;
export type ShoppingStatus = (typeof shoppingStatuses)[number];

/**
 * Something to buy: a catalogued part or a part described by its manufacturer code. Items
 * made from a project's shortage point at the requirement; at most one open item per
 * requirement, so repeating "shortages to shopping list" updates instead of duplicating.
 */
export const shoppingItemsTable = pgTable(
  "shopping_list_items",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    partId: text("part_id").references(() => partsTable.id, { onDelete: "set null" }),
    manufacturerCode: text("manufacturer_code"),
    description: text("description").notNull(),
    typeId: integer("type_id").references(() => typesTable.id, { onDelete: "set null" }),
    desiredQty: integer("desired_qty").notNull(),
    seller: text("seller"),
    sellerLink: text("seller_link"),
    notes: text("notes").notNull().default(""),
    status: text("status", { enum: shoppingStatuses }).notNull().default("open"),
    projectId: integer("project_id").references(() => projectsTable.id, {
      onDelete: "set null",
    }),
    requirementId: integer("requirement_id").references(() => requirementsTable.id, {
      onDelete: "set null",
    }),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check("shopping_list_items_desired_qty_positive", sql`${t.desiredQty} > 0`),
    check("shopping_list_items_status_known", sql`${t.status} in ('open', 'received')`),
    uniqueIndex("shopping_list_items_open_requirement_key")
      .on(t.requirementId)
      .where(sql`${t.status} = 'open'`),
    index("shopping_list_items_status_id_idx").on(t.status, t.id),
    index("shopping_list_items_part_id_idx").on(t.partId).where(sql`${t.partId} is not null`),
  ],
);
