import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { documentsTable } from "../documents/documents.table";
import { typesTable } from "../types/types.table";

export const partsTable = pgTable(
  "parts",
  {
    id: text("id").primaryKey(),
    manufacturerCode: text("manufacturer_code"),
    manufacturer: text("manufacturer"),
    typeId: integer("type_id").references(() => typesTable.id, { onDelete: "restrict" }),
    description: text("description").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    package: text("package"),
    mountingType: text("mounting_type"),
    pinCount: integer("pin_count"),
    voltageRating: text("voltage_rating"),
    seller: text("seller"),
    sellerLink: text("seller_link"),
    // An image of this part; the documents service keeps it pointing at one (or null).
    coverDocumentId: uuid("cover_document_id").references((): AnyPgColumn => documentsTable.id, {
      onDelete: "set null",
    }),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check("parts_id_format", sql`${t.id} ~ '^[A-Z]{4}$'`),
    index("parts_type_id_idx").on(t.typeId),
    index("parts_created_at_id_idx").on(t.createdAt, t.id),
    // parts_tag_keys (lower-cased tags) is defined in migration 0004_parts_sql.
    index("parts_tag_keys_idx").using("gin", sql`parts_tag_keys(${t.tags})`),
  ],
);
