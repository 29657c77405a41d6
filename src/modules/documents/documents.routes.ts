import { createRoute, z } from "@hono/zod-openapi";
import { createdResponse, errorResponses, jsonBody, jsonResponse } from "../../lib/openapi";
import { PartIdParams, PartSchema } from "../parts/parts.schemas";
import {
  ContentHeaders,
  CoverUpdateSchema,
  DocumentIdParams,
  DocumentListSchema,
  DocumentSchema,
  DocumentUploadSchema,
  ThumbnailQuery,
} from "./documents.schemas";

const tags = ["Documents"];

export const createDocumentRoute = createRoute({
  method: "post",
  path: "/parts/{partId}/documents",
  operationId: "createDocument",
  tags,
  summary: "Upload a file or add a link to a part",
  description:
    '`multipart/form-data` with `file` (PDF, JPEG, PNG, WebP or GIF) and an optional `title`: the file streams into storage (images and PDFs in separate buckets) and is never held in memory. The type is recognised from the file\'s first bytes; its name and declared type are ignored, other types are 415, files over MAX_UPLOAD_BYTES (default 50 MB) are 413 and nothing is kept. The original name is kept, sanitised, for display and search. The first image a part gets becomes its cover. Or `application/json` `{ kind: "link", url, title }` for a link document (http/https).',
  request: {
    params: PartIdParams,
    body: {
      required: true,
      content: {
        "multipart/form-data": { schema: DocumentUploadSchema },
        "application/json": { schema: { $ref: "#/components/schemas/LinkDocumentCreate" } },
      },
    },
  },
  responses: {
    201: createdResponse(DocumentSchema, "The new document.", "/api/v1/documents/{documentId}"),
    ...errorResponses(400, 401, 404, 413, 415, 503),
  },
});

export const listDocumentsRoute = createRoute({
  method: "get",
  path: "/parts/{partId}/documents",
  operationId: "listPartDocuments",
  tags,
  summary: "A part's documents",
  request: { params: PartIdParams },
  responses: {
    200: jsonResponse(DocumentListSchema, "Oldest first."),
    ...errorResponses(400, 401, 404),
  },
});

export const getDocumentRoute = createRoute({
  method: "get",
  path: "/documents/{documentId}",
  operationId: "getDocument",
  tags,
  summary: "Get a document's details",
  request: { params: DocumentIdParams },
  responses: {
    200: jsonResponse(DocumentSchema, "The document."),
    ...errorResponses(400, 401, 404),
  },
});

const contentHeaders = {
  "Content-Length": {
    schema: { type: "integer" as const },
    description: "Bytes in this response.",
  },
  ETag: { schema: { type: "string" as const }, description: "Strong; content never changes." },
  "Last-Modified": { schema: { type: "string" as const } },
  "Accept-Ranges": { schema: { type: "string" as const, enum: ["bytes"] } },
  "Content-Disposition": {
    schema: { type: "string" as const },
    description: "`inline` with an ASCII `filename` and the exact name as `filename*`.",
  },
};

const binary = z.string().openapi({ format: "binary" });
const fileContent = {
  "application/pdf": { schema: binary },
  "image/jpeg": { schema: binary },
  "image/png": { schema: binary },
  "image/webp": { schema: binary },
  "image/gif": { schema: binary },
};

export const getDocumentContentRoute = createRoute({
  method: "get",
  path: "/documents/{documentId}/content",
  operationId: "getDocumentContent",
  tags,
  summary: "Download a document's bytes",
  description:
    "Streams the stored file through the API with its recognised Content-Type, Content-Length, ETag and `Content-Disposition: inline`. One `Range` answers 206 with `Content-Range` (PDF.js loads pages this way); a range beyond the end is 416 with `Content-Range: bytes */size`; several ranges answer the whole file. `If-None-Match` with the ETag answers 304. HEAD answers the same headers without the body. Link documents have no stored content (404).",
  request: { params: DocumentIdParams, headers: ContentHeaders },
  responses: {
    200: { description: "The whole file.", headers: contentHeaders, content: fileContent },
    206: {
      description: "The requested byte range.",
      headers: {
        ...contentHeaders,
        "Content-Range": {
          schema: { type: "string" as const },
          description: "`bytes start-end/size`",
        },
      },
      content: fileContent,
    },
    304: { description: "Not modified: the ETag matches." },
    ...errorResponses(400, 401, 404, 416, 503),
  },
});

export const getDocumentThumbnailRoute = createRoute({
  method: "get",
  path: "/documents/{documentId}/thumbnail",
  operationId: "getDocumentThumbnail",
  tags,
  summary: "A document's WebP thumbnail",
  description:
    "Every uploaded image gets two WebP thumbnails from a background job shortly after the upload: `sm` (longest side 256 px) and `md` (1024 px), upright (EXIF orientation applied), without metadata, never enlarged. Until they are made the answer is 404 `documents.thumbnail_not_found` (`thumbnailUrl` is null until then); PDFs and links have none (404 `documents.not_an_image`). The bytes at this URL do not change: cache them (`immutable`); `If-None-Match` with the ETag answers 304.",
  request: {
    params: DocumentIdParams,
    query: ThumbnailQuery,
    headers: ContentHeaders.pick({ "if-none-match": true }),
  },
  responses: {
    200: {
      description: "The thumbnail.",
      headers: {
        "Content-Length": contentHeaders["Content-Length"],
        ETag: { schema: { type: "string" as const }, description: "Strong." },
        "Last-Modified": contentHeaders["Last-Modified"],
        "Cache-Control": {
          schema: { type: "string" as const },
          description: "`private, max-age=31536000, immutable`",
        },
      },
      content: { "image/webp": { schema: binary } },
    },
    304: { description: "Not modified: the ETag matches." },
    ...errorResponses(400, 401, 404, 503),
  },
});

export const deleteDocumentRoute = createRoute({
  method: "delete",
  path: "/documents/{documentId}",
  operationId: "deleteDocument",
  tags,
  summary: "Delete a document and its stored file",
  description:
    "When it was its part's cover, the part's oldest remaining image becomes the cover (or none).",
  request: { params: DocumentIdParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(400, 401, 404) },
});

export const setPartCoverRoute = createRoute({
  method: "put",
  path: "/parts/{partId}/cover",
  operationId: "setPartCover",
  tags: ["Parts"],
  summary: "Choose a part's cover image",
  description:
    "The cover must be an image document of this part (otherwise 400 naming `documentId`); `null` removes it. The first image a part gets becomes its cover on its own.",
  request: { params: PartIdParams, body: jsonBody(CoverUpdateSchema) },
  responses: {
    200: jsonResponse(PartSchema, "The part with its new cover."),
    ...errorResponses(400, 401, 404),
  },
});
