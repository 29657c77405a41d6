import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import type { BucketName } from "../../platform/storage";
import { partsTable } from "../parts/parts.table";
import { objectsOfDocument } from "./documents.objects";
import { documentsTable } from "./documents.table";

export type DocumentRow = typeof documentsTable.$inferSelect;
export type NewDocument = typeof documentsTable.$inferInsert;

/** Where a document's bytes live. */
export interface StoredObject {
  bucket: BucketName;
  key: string;
}

export async function insertDocument(db: Db, values: NewDocument) {
  await db.insert(documentsTable).values(values);
}

export async function findDocument(db: Db, id: string) {
  const [row] = await db.select().from(documentsTable).where(eq(documentsTable.id, id));
  return row;
}

export function listDocumentsOfPart(db: Db, partId: string) {
  return db
    .select()
    .from(documentsTable)
    .where(eq(documentsTable.partId, partId))
    .orderBy(asc(documentsTable.createdAt), asc(documentsTable.id));
}

export async function deleteDocumentRow(db: Db, id: string) {
  const [row] = await db.delete(documentsTable).where(eq(documentsTable.id, id)).returning();
  return row;
}

/** Locks a part row for a cover change and answers its current cover. */
export async function lockPartCover(tx: Db, partId: string) {
  const [row] = await tx
    .select({ id: partsTable.id, coverDocumentId: partsTable.coverDocumentId })
    .from(partsTable)
    .where(eq(partsTable.id, partId))
    .for("update");
  return row;
}

/** Makes `documentId` the cover when the part has none (its first image). */
export async function setCoverIfNone(db: Db, partId: string, documentId: string) {
  await db
    .update(partsTable)
    .set({ coverDocumentId: documentId, updatedAt: sql`now()` })
    .where(and(eq(partsTable.id, partId), isNull(partsTable.coverDocumentId)));
}

export async function setCover(db: Db, partId: string, documentId: string | null) {
  await db
    .update(partsTable)
    .set({ coverDocumentId: documentId, updatedAt: sql`now()` })
    .where(eq(partsTable.id, partId));
}

/** The part's oldest image, the next cover when the current one goes. */
export async function findOldestImage(db: Db, partId: string) {
  const [row] = await db
    .select({ id: documentsTable.id })
    .from(documentsTable)
    .where(and(eq(documentsTable.partId, partId), eq(documentsTable.kind, "image")))
    .orderBy(asc(documentsTable.createdAt), asc(documentsTable.id))
    .limit(1);
  return row?.id;
}

/** Every object of a part's documents: files and thumbnails (links have none). */
export async function findStoredObjectsOfPart(db: Db, partId: string): Promise<StoredObject[]> {
  const rows = await db
    .select({
      id: documentsTable.id,
      kind: documentsTable.kind,
      bucket: documentsTable.bucket,
      storageKey: documentsTable.storageKey,
    })
    .from(documentsTable)
    .where(and(eq(documentsTable.partId, partId), isNotNull(documentsTable.storageKey)));
  return rows.flatMap(objectsOfDocument);
}

/** Records that both thumbnails are written; false when the image document is gone. */
export async function markThumbnailsReady(db: Db, id: string) {
  const rows = await db
    .update(documentsTable)
    .set({ thumbnailsReadyAt: sql`now()` })
    .where(and(eq(documentsTable.id, id), eq(documentsTable.kind, "image")))
    .returning({ id: documentsTable.id });
  return rows.length > 0;
}

/** Which of `ids` are image documents (owners of thumbnails). */
export async function findImageDocumentIds(db: Db, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .select({ id: documentsTable.id })
    .from(documentsTable)
    .where(and(eq(documentsTable.kind, "image"), inArray(documentsTable.id, ids)));
  return new Set(rows.map((row) => row.id));
}

/** Which of `keys` in `bucket` belong to a document row. */
export async function findKnownKeys(db: Db, bucket: BucketName, keys: string[]) {
  if (keys.length === 0) return new Set<string>();
  const rows = await db
    .select({ key: documentsTable.storageKey })
    .from(documentsTable)
    .where(and(eq(documentsTable.bucket, bucket), inArray(documentsTable.storageKey, keys)));
  return new Set(rows.map((row) => row.key));
}

/** Stored documents created before `before`, in id order after `afterId`, a page at a time. */
export function listStoredDocuments(
  db: Db,
  params: { before: Date; afterId: string; limit: number },
) {
  return db
    .select({
      id: documentsTable.id,
      partId: documentsTable.partId,
      kind: documentsTable.kind,
      bucket: documentsTable.bucket,
      key: documentsTable.storageKey,
      thumbnailsReadyAt: documentsTable.thumbnailsReadyAt,
    })
    .from(documentsTable)
    .where(
      and(
        isNotNull(documentsTable.storageKey),
        lt(documentsTable.createdAt, params.before),
        gt(documentsTable.id, params.afterId),
      ),
    )
    .orderBy(asc(documentsTable.id))
    .limit(params.limit);
}

/** Gives unexpired drafts among `ids` to a part; answers the rows it claimed. */
export function claimDrafts(tx: Db, partId: string, ids: string[]) {
  return tx
    .update(documentsTable)
    .set({ partId, draftExpiresAt: null })
    .where(
      and(
        inArray(documentsTable.id, ids),
        isNull(documentsTable.partId),
        gt(documentsTable.draftExpiresAt, sql`now()`),
      ),
    )
    .returning({ id: documentsTable.id, kind: documentsTable.kind });
}

export function findDocumentOwners(db: Db, ids: string[]) {
  return db
    .select({ id: documentsTable.id, partId: documentsTable.partId })
    .from(documentsTable)
    .where(inArray(documentsTable.id, ids));
}

/** Deletes up to `limit` drafts that expired before `now`; answers their rows. */
export function deleteExpiredDrafts(db: Db, now: Date, limit: number) {
  const expired = db
    .select({ id: documentsTable.id })
    .from(documentsTable)
    .where(and(isNull(documentsTable.partId), lt(documentsTable.draftExpiresAt, now)))
    .limit(limit);
  return db.delete(documentsTable).where(inArray(documentsTable.id, expired)).returning();
}
