import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { partsTable } from "../parts/parts.table";

export const documentKinds = ["pdf", "image", "link"] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const storageBuckets = ["images", "docs"] as const;

/**
 * A part's document: a stored file (PDF or image, bytes in object storage under a
 * server-generated key) or a link. The object is written before the row and removed after
 * the row is gone, so a crash leaves at most an object without a row, which
 * `storage:sweep` removes. Images also get two WebP thumbnails (documents.thumbnails.ts),
 * written by a job after the row exists. A draft (photo intake) has no part until
 * `POST /parts` claims it with `attachDocumentIds`; unclaimed, it expires.
 */
export const documentsTable = pgTable(
  "documents",
  {
    id: uuid("id").primaryKey(),
    /** Null while the document is a draft (photo intake) that no part has claimed yet. */
    partId: text("part_id").references(() => partsTable.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: documentKinds }).notNull(),
    title: text("title"),
    originalFilename: text("original_filename"),
    contentType: text("content_type"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    bucket: text("bucket", { enum: storageBuckets }),
    storageKey: text("storage_key"),
    url: text("url"),
    sourceUrl: text("source_url"),
    /** A draft's end: unclaimed by then, the draft-expiry task removes it and its object. */
    draftExpiresAt: timestamp("draft_expires_at", { withTimezone: true }),
    /** When both WebP thumbnails (images only) were last written; null until then. */
    thumbnailsReadyAt: timestamp("thumbnails_ready_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check("documents_kind_known", sql`${t.kind} in ('pdf', 'image', 'link')`),
    check(
      "documents_stored_or_link",
      sql`(${t.kind} = 'link' and ${t.url} is not null and ${t.storageKey} is null)
        or (${t.kind} <> 'link' and ${t.storageKey} is not null and ${t.bucket} is not null
          and ${t.contentType} is not null and ${t.sizeBytes} is not null)`,
    ),
    check(
      "documents_thumbnails_of_images",
      sql`${t.thumbnailsReadyAt} is null or ${t.kind} = 'image'`,
    ),
    check(
      "documents_owned_or_draft",
      sql`(${t.partId} is null) = (${t.draftExpiresAt} is not null)`,
    ),
    index("documents_draft_expires_at_idx")
      .on(t.draftExpiresAt)
      .where(sql`${t.draftExpiresAt} is not null`),
    index("documents_part_id_created_at_idx").on(t.partId, t.createdAt, t.id),
    uniqueIndex("documents_bucket_storage_key_key").on(t.bucket, t.storageKey),
    // Search finds parts by their documents' file names (substring and typo matches).
    index("documents_original_filename_trgm_idx").using(
      "gin",
      sql`lower(${t.originalFilename}) gin_trgm_ops`,
    ),
  ],
);
