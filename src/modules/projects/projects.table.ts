import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { partsTable } from "../parts/parts.table";

export const projectsTable = pgTable("projects", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull(),
  notes: text("notes").notNull().default(""),
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).defaultNow().notNull(),
});

/**
 * What one kit of a project needs: a catalogued part, or a placeholder (manufacturer code
 * and description) for a part not catalogued yet — exactly one of the two. The foreign key
 * restricts deleting a required part, so the database backs the service's 409.
 */
export const requirementsTable = pgTable(
  "project_requirements",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer("project_id")
      .notNull()
      .references(() => projectsTable.id, { onDelete: "cascade" }),
    partId: text("part_id").references(() => partsTable.id, { onDelete: "restrict" }),
    placeholderManufacturerCode: text("placeholder_manufacturer_code"),
    placeholderDescription: text("placeholder_description"),
    requiredQty: integer("required_qty").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check("project_requirements_required_qty_positive", sql`${t.requiredQty} > 0`),
    check(
      "project_requirements_part_xor_placeholder",
      sql`(${t.partId} is not null and ${t.placeholderManufacturerCode} is null and ${t.placeholderDescription} is null)
        or (${t.partId} is null and ${t.placeholderManufacturerCode} is not null and ${t.placeholderDescription} is not null)`,
    ),
    uniqueIndex("project_requirements_project_part_key").on(t.projectId, t.partId),
    index("project_requirements_project_id_idx").on(t.projectId, t.id),
    index("project_requirements_part_id_idx").on(t.partId).where(sql`${t.partId} is not null`),
  ],
);
