import type { Deps } from "../../deps";
import type { StoredObject } from "./documents.repo";
import type { DocumentKind } from "./documents.table";

export type StorageDeps = Pick<Deps, "db" | "storage" | "logger">;

/** Longest side of each thumbnail in pixels; smaller images are not enlarged. */
export const thumbnailSizes = { sm: 256, md: 1024 } as const;
export type ThumbnailSize = keyof typeof thumbnailSizes;
export const thumbnailSizeNames = Object.keys(thumbnailSizes) as ThumbnailSize[];

/**
 * A thumbnail's object key in the images bucket: `<document id>.<size>.webp`. A document's
 * own key has one dot (`<id>.<extension>`), so the two never collide, and the sweep can
 * tell from a key alone whose thumbnail it is.
 */
export const thumbnailKey = (documentId: string, size: ThumbnailSize) =>
  `${documentId}.${size}.webp`;

const THUMBNAIL_KEY =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(?:sm|md)\.webp$/;

/** The document a thumbnail key belongs to, or undefined for any other key. */
export function thumbnailOwner(key: string): string | undefined {
  return THUMBNAIL_KEY.exec(key)?.[1];
}

/** The thumbnail objects of an image document. */
export function thumbnailObjects(documentId: string) {
  return thumbnailSizeNames.map((size) => ({
    bucket: "images" as const,
    key: thumbnailKey(documentId, size),
    size,
  }));
}

/** What `thumbnailUrl` points at once an image's thumbnails exist: the `sm` size. */
export const thumbnailPath = (documentId: string) =>
  `/api/v1/documents/${documentId}/thumbnail?size=sm`;

/** Every object a document owns: its file and, for an image, its thumbnails. */
export function objectsOfDocument(row: {
  id: string;
  kind: DocumentKind;
  bucket: StoredObject["bucket"] | null;
  storageKey: string | null;
}): StoredObject[] {
  if (!row.bucket || !row.storageKey) return [];
  const own: StoredObject = { bucket: row.bucket, key: row.storageKey };
  if (row.kind !== "image") return [own];
  return [own, ...thumbnailObjects(row.id).map(({ bucket, key }) => ({ bucket, key }))];
}

/** Removes stored objects after their rows are gone; a failure leaves work for the sweep. */
export async function removeStoredObjects(deps: StorageDeps, objects: StoredObject[]) {
  for (const object of objects) {
    try {
      await deps.storage.delete(object.bucket, object.key);
    } catch (error) {
      deps.logger.warn(
        { err: error, bucket: object.bucket, key: object.key },
        "could not delete a stored object; storage:sweep will remove it",
      );
    }
  }
}
