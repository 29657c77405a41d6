import { AppError, badRequest, notFound, unavailable } from "../../lib/errors";
import { StorageUnavailableError } from "../../platform/storage";

export const documentNotFound = (id: string) =>
  notFound("documents.not_found", `Document ${id} does not exist.`);

export const unsupportedFileType = () =>
  new AppError(
    415,
    "documents.unsupported_type",
    "The file is not a PDF, JPEG, PNG, WebP or GIF; the type is recognised from the file's content, not its name.",
  );

export const notAnImageUpload = (field = "file") =>
  new AppError(
    415,
    "documents.not_an_image",
    `The \`${field}\` must be a JPEG, PNG, WebP or GIF image; the type is recognised from the file's content.`,
  );

export const uploadTooLarge = (maxBytes: number) =>
  new AppError(
    413,
    "documents.too_large",
    `The file is larger than the upload limit of ${maxBytes} bytes.`,
  );

export const linkHasNoContent = (id: string) =>
  notFound(
    "documents.no_content",
    `Document ${id} is a link; link documents have no stored content (open its url).`,
  );

export const notAnImage = (id: string, kind: string) =>
  notFound(
    "documents.not_an_image",
    `Document ${id} is a ${kind} document; only images have thumbnails.`,
  );

export const thumbnailNotFound = (id: string) =>
  notFound(
    "documents.thumbnail_not_found",
    `The thumbnails of document ${id} are not made yet (a background job makes them shortly after the upload); try again later.`,
  );

export const thumbnailMissing = (id: string) =>
  notFound(
    "documents.thumbnail_missing",
    `The thumbnail of document ${id} is missing from storage.`,
  );

export const contentMissing = (id: string) =>
  notFound(
    "documents.content_missing",
    `The stored file of document ${id} is missing from storage; delete the document and upload it again.`,
  );

export const rangeNotSatisfiable = (size: number) =>
  new AppError(
    416,
    "documents.range_not_satisfiable",
    `The requested range starts beyond the end of the ${size}-byte file.`,
  );

export const coverNotAnImage = (documentId: string, partId: string, reason: string) =>
  badRequest(
    "documents.cover_not_image",
    `Document ${documentId} cannot be the cover of ${partId}: ${reason}.`,
    [{ path: "documentId", message: reason }],
  );

export const unsupportedUploadMediaType = () =>
  new AppError(
    415,
    "request.unsupported_media_type",
    "Send multipart/form-data with a `file` field, or application/json for a link document.",
  );

/** A storage outage as the API's 503; other errors pass through unchanged. */
export function translateStorageError(error: unknown): never {
  if (error instanceof StorageUnavailableError) {
    throw unavailable(
      "storage.unavailable",
      "File storage is unavailable; nothing was stored. Try again later.",
    );
  }
  throw error;
}
