import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { Deps } from "../../deps";
import { type AppError, badRequest } from "../../lib/errors";
import { type JobProgress, PermanentJobError } from "../../lib/jobs";
import { isForeignKeyViolation } from "../../lib/pg-errors";
import { text } from "../../lib/schemas";
import { type Db, withTx } from "../../platform/db";
import { enqueueJob } from "../jobs/jobs.repo";
import { partNotFound } from "../parts/parts.errors";
import { findPartById } from "../parts/parts.repo";
import type { PartDto } from "../parts/parts.schemas";
import { getPart } from "../parts/parts.service";
import {
  contentDisposition,
  etagMatches,
  parseRange,
  SNIFF_BYTES,
  sanitiseFilename,
  sniffContentType,
} from "./documents.content";
import {
  contentMissing,
  coverNotAnImage,
  documentNotFound,
  linkHasNoContent,
  notAnImage,
  notAnImageUpload,
  rangeNotSatisfiable,
  thumbnailMissing,
  thumbnailNotFound,
  translateStorageError,
  unsupportedFileType,
} from "./documents.errors";
import { thumbnailJob } from "./documents.jobs";
import {
  objectsOfDocument,
  removeStoredObjects,
  type StorageDeps,
  type ThumbnailSize,
  thumbnailKey,
  thumbnailObjects,
  thumbnailPath,
} from "./documents.objects";
import * as repo from "./documents.repo";
import type { DocumentDto, LinkDocumentCreate } from "./documents.schemas";
import { renderThumbnails, type Thumbnail, UnusableImageError } from "./documents.thumbnails";
import { receiveUpload } from "./documents.upload";

const contentPath = (id: string) => `/api/v1/documents/${id}/content`;

export function toDocumentDto(row: repo.DocumentRow): DocumentDto {
  const contentUrl = row.storageKey ? contentPath(row.id) : null;
  return {
    id: row.id,
    partId: row.partId,
    draftExpiresAt: row.draftExpiresAt ? row.draftExpiresAt.toISOString() : null,
    kind: row.kind,
    title: row.title,
    originalFilename: row.originalFilename,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    url: row.url ?? contentUrl ?? "",
    sourceUrl: row.sourceUrl,
    contentUrl,
    thumbnailUrl: row.thumbnailsReadyAt ? thumbnailPath(row.id) : null,
    createdAt: row.createdAt.toISOString(),
  };
}

async function requireDocument(db: Db, id: string) {
  const row = await repo.findDocument(db, id);
  if (!row) throw documentNotFound(id);
  return row;
}

export async function getDocument(db: Db, id: string): Promise<DocumentDto> {
  return toDocumentDto(await requireDocument(db, id));
}

export async function listDocuments(db: Db, partId: string) {
  if (!(await findPartById(db, partId))) throw partNotFound(partId);
  const rows = await repo.listDocumentsOfPart(db, partId);
  return { items: rows.map(toDocumentDto) };
}

/** Work done in a new document's transaction, e.g. queueing the job that reads a draft. */
export type AfterInsert = (tx: Db, documentId: string) => Promise<void>;

/**
 * Inserts a document row. An image becomes its part's cover when the part has none, and
 * its thumbnail job is queued in the same transaction (the job exists exactly when the row
 * does), drafts included. A draft (no part) waits for `POST /parts` to claim it.
 * `afterInsert` joins the transaction. The stored object is written before the row; when
 * the row does not commit, the object is removed here.
 */
async function insertDocumentRow(
  deps: StorageDeps,
  values: repo.NewDocument,
  afterInsert?: AfterInsert,
) {
  const { partId } = values;
  try {
    await withTx(deps.db, async (tx) => {
      await repo.insertDocument(tx, values);
      if (values.kind === "image") {
        if (partId) await repo.setCoverIfNone(tx, partId, values.id);
        await enqueueJob(tx, thumbnailJob, { documentId: values.id });
      }
      await afterInsert?.(tx, values.id);
    });
  } catch (error) {
    // The row is not there, so neither may its object be (it was written first).
    if (values.bucket && values.storageKey) {
      await removeStoredObjects(deps, [{ bucket: values.bucket, key: values.storageKey }]);
    }
    // The part went away while the file was uploading.
    if (partId && isForeignKeyViolation(error)) throw partNotFound(partId);
    throw error;
  }
  return getDocument(deps.db, values.id);
}

const Title = text(200).transform((value) => value || null);

function parseTitle(title: string | undefined): string | null {
  if (title === undefined) return null;
  const result = Title.safeParse(title);
  if (result.success) return result.data;
  throw badRequest("validation.failed", "Invalid title: at most 200 characters.", [
    { path: "title", message: "Too long: at most 200 characters." },
  ]);
}

export async function createLinkDocument(
  deps: StorageDeps,
  partId: string,
  input: LinkDocumentCreate,
): Promise<DocumentDto> {
  if (!(await findPartById(deps.db, partId))) throw partNotFound(partId);
  return insertDocumentRow(deps, {
    id: randomUUID(),
    partId,
    kind: "link",
    title: input.title || null,
    url: input.url,
  });
}

export interface UploadRequest {
  body: Readable;
  contentType: string;
  contentLength: number | undefined;
}

/**
 * Streams an uploaded file into storage under a new random key, then inserts its row.
 * The object is written first; if the row cannot be written the object is deleted, so a
 * row never points at nothing and a crash leaves only an object the sweep removes.
 */
export async function uploadDocument(
  deps: Pick<Deps, "db" | "storage" | "logger" | "env">,
  partId: string,
  request: UploadRequest,
): Promise<DocumentDto> {
  if (!(await findPartById(deps.db, partId))) throw partNotFound(partId);
  return receiveDocument(deps, request, { partId });
}

/**
 * Stores an uploaded image as a draft document (photo intake): no part yet, removed at
 * `expiresAt` unless `POST /parts` claims it. `afterInsert` runs in the row's transaction.
 */
export function uploadDraftImage(
  deps: Pick<Deps, "db" | "storage" | "logger" | "env">,
  request: UploadRequest,
  options: { field: string; expiresAt: Date; afterInsert: AfterInsert },
): Promise<DocumentDto> {
  return receiveDocument(deps, request, {
    partId: null,
    draftExpiresAt: options.expiresAt,
    field: options.field,
    onlyImages: true,
    afterInsert: options.afterInsert,
  });
}

async function receiveDocument(
  deps: Pick<Deps, "db" | "storage" | "logger" | "env">,
  request: UploadRequest,
  target: {
    partId: string | null;
    draftExpiresAt?: Date;
    field?: string;
    onlyImages?: boolean;
    afterInsert?: AfterInsert;
  },
): Promise<DocumentDto> {
  const id = randomUUID();
  const upload = await receiveUpload({
    ...request,
    field: target.field,
    maxBytes: deps.env.MAX_UPLOAD_BYTES,
    store: async (type, body) => {
      if (target.onlyImages && type.kind !== "image") throw notAnImageUpload(target.field);
      const object: repo.StoredObject = { bucket: type.bucket, key: `${id}.${type.extension}` };
      // A failed put leaves nothing stored (the Storage contract), so there is nothing to undo.
      await deps.storage
        .put(object.bucket, object.key, body, { contentType: type.contentType })
        .catch(translateStorageError);
      return object;
    },
    discard: (object) => removeStoredObjects(deps, [object]),
  });
  let title: string | null;
  try {
    title = parseTitle(upload.title); // a title field may come after the file
  } catch (error) {
    await removeStoredObjects(deps, [upload.stored]);
    throw error;
  }
  return insertDocumentRow(
    deps,
    {
      id,
      partId: target.partId,
      draftExpiresAt: target.draftExpiresAt ?? null,
      kind: upload.type.kind,
      title,
      originalFilename: sanitiseFilename(upload.filename),
      contentType: upload.type.contentType,
      sizeBytes: upload.sizeBytes,
      bucket: upload.stored.bucket,
      storageKey: upload.stored.key,
    },
    target.afterInsert,
  );
}

/**
 * Stores fetched bytes (a datasheet found by discovery) as a document under the given id,
 * through the same path as uploads: type from the content, object first, then the row.
 * Runs in jobs, so it is idempotent: a document that already has this id is answered as it is.
 */
export async function storeFetchedDocument(
  deps: StorageDeps,
  input: {
    id: string;
    partId: string | null;
    draftExpiresAt?: Date;
    bytes: Buffer;
    filename: string | null;
    sourceUrl: string;
  },
): Promise<DocumentDto> {
  const existing = await repo.findDocument(deps.db, input.id);
  if (existing) return toDocumentDto(existing);
  const type = sniffContentType(input.bytes.subarray(0, SNIFF_BYTES));
  if (!type) throw unsupportedFileType();
  const object: repo.StoredObject = { bucket: type.bucket, key: `${input.id}.${type.extension}` };
  await deps.storage
    .put(object.bucket, object.key, Readable.from([input.bytes]), { contentType: type.contentType })
    .catch(translateStorageError);
  return insertDocumentRow(deps, {
    id: input.id,
    partId: input.partId,
    draftExpiresAt: input.draftExpiresAt ?? null,
    kind: type.kind,
    originalFilename: input.filename === null ? null : sanitiseFilename(input.filename),
    contentType: type.contentType,
    sizeBytes: input.bytes.length,
    bucket: object.bucket,
    storageKey: object.key,
    sourceUrl: input.sourceUrl,
  });
}

/**
 * Deletes a document, then its stored object and thumbnails. When it was the part's cover, the part's
 * oldest remaining image takes over (or none).
 */
export async function deleteDocument(deps: StorageDeps, id: string): Promise<void> {
  const { partId } = await requireDocument(deps.db, id);
  const removed = await withTx(deps.db, async (tx) => {
    const part = partId ? await repo.lockPartCover(tx, partId) : undefined;
    const row = await repo.deleteDocumentRow(tx, id);
    if (!row) throw documentNotFound(id);
    if (partId && part?.coverDocumentId === id) {
      await repo.setCover(tx, partId, (await repo.findOldestImage(tx, partId)) ?? null);
    }
    return row;
  });
  await removeStoredObjects(deps, objectsOfDocument(removed));
}

/** Makes one of the part's images its cover, or clears the cover with `null`. */
export async function setPartCover(
  db: Db,
  partId: string,
  documentId: string | null,
): Promise<PartDto> {
  return withTx(db, async (tx) => {
    if (!(await repo.lockPartCover(tx, partId))) throw partNotFound(partId);
    if (documentId !== null) {
      const row = await repo.findDocument(tx, documentId);
      if (!row || row.partId !== partId) {
        throw coverNotAnImage(documentId, partId, `not a document of part ${partId}`);
      }
      if (row.kind !== "image") {
        throw coverNotAnImage(documentId, partId, `a ${row.kind} document, not an image`);
      }
    }
    await repo.setCover(tx, partId, documentId);
    return getPart(tx, partId);
  });
}

export interface ThumbnailResponse {
  status: 200 | 304;
  headers: Record<string, string>;
  body: Readable | null;
}

/**
 * A thumbnail as an HTTP answer. Its bytes follow from the image's (which never change)
 * and are rewritten only by a rerun of the same job, which records a new time: that time
 * makes the ETag, so revalidation needs no storage call, and the URL can be cached as
 * immutable.
 */
export async function openThumbnail(
  deps: StorageDeps,
  id: string,
  size: ThumbnailSize,
  ifNoneMatch: string | undefined,
): Promise<ThumbnailResponse> {
  const doc = await requireDocument(deps.db, id);
  if (doc.kind !== "image") throw notAnImage(id, doc.kind);
  if (!doc.thumbnailsReadyAt) throw thumbnailNotFound(id);
  const headers = {
    ETag: `"${id}.${size}.${doc.thumbnailsReadyAt.getTime().toString(36)}"`,
    "Last-Modified": doc.thumbnailsReadyAt.toUTCString(),
    "Cache-Control": "private, max-age=31536000, immutable",
  };
  if (etagMatches(ifNoneMatch, headers.ETag)) return { status: 304, headers, body: null };
  const content = await deps.storage
    .get("images", thumbnailKey(id, size))
    .catch(translateStorageError);
  if (!content) throw thumbnailMissing(id);
  return {
    status: 200,
    headers: {
      ...headers,
      "Content-Type": "image/webp",
      "Content-Length": String(content.length),
      "X-Content-Type-Options": "nosniff",
    },
    body: content.body,
  };
}

export interface ContentRequest {
  /** HEAD: headers only, no stream is opened. */
  head: boolean;
  range: string | undefined;
  ifNoneMatch: string | undefined;
}

export type ContentResponse =
  | { status: 200 | 206; headers: Record<string, string>; body: Readable }
  | { status: 200 | 206 | 304; headers: Record<string, string>; body: null }
  | { status: 416; headers: Record<string, string>; error: AppError };

/**
 * The bytes of a stored document as an HTTP answer. A document's content never changes
 * (a new upload is a new document), so its id is a strong ETag and revalidation (304)
 * needs no storage call.
 */
export async function openContent(
  deps: StorageDeps,
  id: string,
  request: ContentRequest,
): Promise<ContentResponse> {
  const doc = await requireDocument(deps.db, id);
  if (!doc.bucket || !doc.storageKey || doc.sizeBytes === null || !doc.contentType) {
    throw linkHasNoContent(id);
  }
  const etag = `"${doc.id}"`;
  const common = {
    ETag: etag,
    "Last-Modified": doc.createdAt.toUTCString(),
    "Cache-Control": "private, no-cache",
  };
  if (etagMatches(request.ifNoneMatch, etag)) return { status: 304, headers: common, body: null };
  const headers = {
    ...common,
    "Content-Type": doc.contentType,
    "Accept-Ranges": "bytes",
    "Content-Disposition": contentDisposition(
      doc.originalFilename ?? `${doc.id}.${doc.storageKey.split(".").pop()}`,
    ),
    "X-Content-Type-Options": "nosniff",
  };
  const wanted = parseRange(request.range, doc.sizeBytes);
  if (wanted.kind === "unsatisfiable") {
    return {
      status: 416,
      headers: { "Content-Range": `bytes */${doc.sizeBytes}` },
      error: rangeNotSatisfiable(doc.sizeBytes),
    };
  }
  const range = wanted.kind === "partial" ? wanted.range : undefined;
  const status = range ? 206 : 200;
  if (request.head) {
    const info = await deps.storage.head(doc.bucket, doc.storageKey).catch(translateStorageError);
    if (!info) throw contentMissing(id);
    const length = range ? range.end - range.start + 1 : info.size;
    return {
      status,
      headers: { ...headers, "Content-Length": String(length), ...contentRange(range, info.size) },
      body: null,
    };
  }
  const content = await deps.storage
    .get(doc.bucket, doc.storageKey, range)
    .catch(translateStorageError);
  if (!content) throw contentMissing(id);
  return {
    status,
    headers: {
      ...headers,
      "Content-Length": String(content.length),
      ...contentRange(range, content.size),
    },
    body: content.body,
  };
}

function contentRange(
  range: { start: number; end: number } | undefined,
  size: number,
): Record<string, string> {
  return range ? { "Content-Range": `bytes ${range.start}-${range.end}/${size}` } : {};
}

/** A stream of known length read into one buffer (no list of chunks to concatenate). */
async function readAll(body: Readable, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (filled + chunk.length > length) {
      body.destroy();
      throw new Error(`The stored file is longer than its ${length} bytes.`);
    }
    chunk.copy(buffer, filled);
    filled += chunk.length;
  }
  if (filled < length) throw new Error(`The stored file ended after ${filled} of ${length} bytes.`);
  return buffer;
}

export type ThumbnailsResult =
  | {
      documentId: string;
      thumbnails: Record<ThumbnailSize, { width: number; height: number; bytes: number }>;
    }
  | { skipped: string };

const documentDeleted = { skipped: "document deleted" } as const;

/**
 * The `documents.thumbnail` job: reads an image document's file, writes its `sm` and `md`
 * WebP thumbnails under fixed keys and records them on the row. A rerun overwrites the same
 * objects with the same bytes. An unreadable or oversized image fails for good
 * (PermanentJobError); storage errors are thrown as they are, so the job is retried. A
 * document deleted before or during the run ends it without error, leaving no thumbnails.
 */
export async function makeDocumentThumbnails(
  deps: Pick<Deps, "db" | "storage" | "logger" | "env">,
  documentId: string,
  progress: JobProgress,
): Promise<ThumbnailsResult> {
  const doc = await repo.findDocument(deps.db, documentId);
  if (!doc) return documentDeleted;
  if (doc.kind !== "image" || !doc.bucket || !doc.storageKey) {
    throw new PermanentJobError(`Document ${documentId} is a ${doc.kind} document, not an image.`);
  }
  // Two progress reports: each is a write to the job row, and the whole job is short.
  const content = await deps.storage.get(doc.bucket, doc.storageKey);
  if (!content) {
    if (!(await repo.findDocument(deps.db, documentId))) return documentDeleted;
    throw new PermanentJobError(`The stored file of document ${documentId} is missing.`);
  }
  const input = await readAll(content.body, content.length);
  await progress(0.2, "making thumbnails");
  const rendered = await renderThumbnails(input, deps.env.THUMBNAIL_MAX_PIXELS).catch(
    (error: unknown) => {
      if (!(error instanceof UnusableImageError)) throw error;
      throw new PermanentJobError(`Document ${documentId}: ${error.message}.`, { cause: error });
    },
  );
  await progress(0.8, "storing thumbnails");
  const outputs = thumbnailObjects(documentId);
  for (const { bucket, key, size } of outputs) {
    const body = Readable.from([rendered[size].data]);
    await deps.storage.put(bucket, key, body, { contentType: "image/webp" });
  }
  if (!(await repo.markThumbnailsReady(deps.db, documentId))) {
    // Deleted while this ran; its delete may have removed the keys before they were written.
    await removeStoredObjects(deps, outputs);
    return documentDeleted;
  }
  const describe = ({ width, height, data }: Thumbnail) => ({ width, height, bytes: data.length });
  return {
    documentId,
    thumbnails: { sm: describe(rendered.sm), md: describe(rendered.md) },
  };
}
