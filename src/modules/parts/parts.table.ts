import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { documentsTable } from "../documents/documents.table";
import { typesTable } from "../types/types.table";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

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
    /**
     * The type's name, copied so the search columns can include it. Triggers (migration
     * 0009_search_triggers) keep it equal to `types.name`; never written by the app.
     */
    typeName: text("type_name"),
    /**
     * Lower-cased tags for the case-insensitive tag filter (`parts_tag_keys`, migration
     * 0004). A stored column rather than an expression index so ANALYZE keeps statistics
     * of its elements: the planner walks the id order for a common tag and the GIN index
     * for a rare one.
     */
    tagKeys: text("tag_keys").array().notNull().generatedAlwaysAs(sql`parts_tag_keys(tags)`),
    /** Lower-cased text of every searched field, for substring and trigram matching. */
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs(
        sql`lower(id || ' ' || coalesce(manufacturer_code, '') || ' ' || coalesce(manufacturer, '') || ' ' || description || ' ' || coalesce(parts_tags_text(tags), '') || ' ' || coalesce(seller, '') || ' ' || coalesce(type_name, ''))`,
      ),
    /** Words for full-text ranking; 'simple' config so part numbers are not stemmed. */
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('simple', id || ' ' || coalesce(manufacturer_code, '')), 'A') || setweight(to_tsvector('simple', coalesce(manufacturer, '') || ' ' || coalesce(type_name, '') || ' ' || coalesce(parts_tags_text(tags), '')), 'B') || setweight(to_tsvector('simple', description || ' ' || coalesce(seller, '')), 'C')`,
      ),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check("parts_id_format", sql`${t.id} ~ '^[A-Z]{4}$'`),
    // Serves the type filter of the listing in id order, and the type foreign key.
    index("parts_type_id_id_idx").on(t.typeId, t.id),
    index("parts_created_at_id_idx").on(t.createdAt, t.id),
    index("parts_tag_keys_idx").using("gin", t.tagKeys),
    index("parts_manufacturer_code_lower_idx").on(sql`lower(${t.manufacturerCode})`),
    index("parts_search_text_trgm_idx").using("gin", t.searchText.op("gin_trgm_ops")),
    index("parts_search_vector_idx").using("gin", t.searchVector),
  ],
);
