import { z } from "@hono/zod-openapi";
import { HttpUrl, ItemsOf, text, timestamp } from "../../lib/schemas";
import { documentKinds } from "./documents.table";

export const DocumentId = z
  .uuid({ error: "Expected a document id (a UUID)." })
  .toLowerCase()
  .openapi({ example: "0b6f3f52-2d4e-4c8e-9a57-3c1d2b7e9f10" });

export const DocumentIdParams = z.object({
  documentId: DocumentId.openapi({ param: { name: "documentId", in: "path" } }),
});

export const DocumentSchema = z
  .object({
    id: z.string().openapi({ format: "uuid", example: "0b6f3f52-2d4e-4c8e-9a57-3c1d2b7e9f10" }),
    partId: z.string().nullable().openapi({
      description:
        "The part it belongs to; null for a draft from photo intake, until `POST /parts` claims it with `attachDocumentIds`.",
      example: "BZQP",
    }),
    draftExpiresAt: z.string().nullable().openapi({
      format: "date-time",
      description:
        "When an unclaimed draft is removed (24 h after it was made); null once claimed.",
    }),
    kind: z.enum(documentKinds).openapi({
      description: "`pdf` and `image` are stored files; `link` points elsewhere.",
    }),
    title: z.string().nullable().openapi({ example: "Datasheet" }),
    originalFilename: z.string().nullable().openapi({
      description:
        "The uploaded file's name, sanitised (no path, no control characters, at most 200 characters); null for links.",
      example: "G5Q-datasheet.pdf",
    }),
    contentType: z.string().nullable().openapi({
      description: "Recognised from the file's content; null for links.",
      example: "application/pdf",
    }),
    sizeBytes: z.number().int().nullable().openapi({ example: 482_113 }),
    url: z.string().openapi({
      description:
        "Where to open the document: the link target for links, `contentUrl` for stored files.",
      example: "/api/v1/documents/0b6f3f52-2d4e-4c8e-9a57-3c1d2b7e9f10/content",
    }),
    sourceUrl: z.string().nullable().openapi({
      description: "Where a fetched file came from (datasheet discovery); null otherwise.",
    }),
    contentUrl: z.string().nullable().openapi({
      description: "The stored bytes (supports Range); null for links.",
      example: "/api/v1/documents/0b6f3f52-2d4e-4c8e-9a57-3c1d2b7e9f10/content",
    }),
    thumbnailUrl: z.string().nullable().openapi({
      description:
        "An image's `sm` WebP thumbnail (256 px; replace `size=sm` with `size=md` for 1024 px), once the background job has made them; null before and for PDFs and links.",
      example: "/api/v1/documents/0b6f3f52-2d4e-4c8e-9a57-3c1d2b7e9f10/thumbnail?size=sm",
    }),
    createdAt: timestamp(),
  })
  .openapi("Document");

export const DocumentListSchema = ItemsOf(DocumentSchema).openapi("DocumentList", {
  description: "A part's documents, oldest first.",
});

export const LinkDocumentCreateSchema = z
  .object({
    kind: z.literal("link"),
    url: HttpUrl.openapi({ example: "https://www.omron.com/ecb/products/pdf/en-g5q.pdf" }),
    title: text(200).nullable().optional().openapi({ example: "Datasheet (vendor site)" }),
  })
  .openapi("LinkDocumentCreate", { description: "A link document: a URL, nothing stored." });

/** Documented by hand: a zod schema would make the route parse the whole form in memory. */
export const DocumentUploadSchema = {
  type: "object" as const,
  required: ["file"],
  properties: {
    file: {
      type: "string" as const,
      format: "binary",
      description:
        "A PDF, JPEG, PNG, WebP or GIF, recognised by its content (name and part Content-Type are ignored). At most MAX_UPLOAD_BYTES (default 50 MB).",
    },
    title: { type: "string" as const, maxLength: 200, description: "Optional display title." },
  },
};

export const CoverUpdateSchema = z
  .object({
    documentId: DocumentId.nullable().openapi({
      description: "An image document of this part; `null` removes the cover.",
    }),
  })
  .openapi("CoverUpdate");

export const ThumbnailQuery = z.object({
  size: z
    .enum(["sm", "md"])
    .default("sm")
    .openapi({
      param: { name: "size", in: "query" },
      description: "`sm`: longest side 256 px (list rows); `md`: 1024 px (cards, previews).",
    }),
});

export const ContentHeaders = z.object({
  range: z
    .string()
    .max(200)
    .optional()
    .openapi({
      param: { name: "range", in: "header" },
      description:
        "One byte range, e.g. `bytes=0-1023`, answers 206. Several ranges answer the whole file (200).",
      example: "bytes=0-1023",
    }),
  "if-none-match": z
    .string()
    .max(500)
    .optional()
    .openapi({
      param: { name: "if-none-match", in: "header" },
      description: "An ETag from an earlier response: 304 when unchanged.",
    }),
});

export type DocumentDto = z.infer<typeof DocumentSchema>;
export type LinkDocumentCreate = z.infer<typeof LinkDocumentCreateSchema>;
