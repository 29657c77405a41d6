import { z } from "@hono/zod-openapi";
import { PART_ID_PATTERN } from "../../lib/ids";
import { PageOf, PageQuery } from "../../lib/pagination";
import {
  BoxNo,
  HttpUrl,
  IdQuery,
  LocNo,
  requiredText,
  Seller,
  TypeIdRef,
  text,
  timestamp,
} from "../../lib/schemas";
import { DocumentId } from "../documents/documents.schemas";

export const PartId = z
  .string()
  .regex(PART_ID_PATTERN, "Expected 4 letters A-Z, e.g. BZQP.")
  .toUpperCase()
  .openapi({ description: "4 letters; lower case is accepted.", example: "BZQP" });

export const PartIdParams = z.object({
  partId: PartId.openapi({ param: { name: "partId", in: "path" } }),
});

/** The most one request moves in one quantity: far below what a slot can count. */
export const QTY_MAX = 1_000_000;

export const Qty = z.number().int().min(1).max(QTY_MAX).openapi({ example: 20 });

export const PartLocationSchema = z
  .object({
    boxNo: BoxNo,
    locNo: LocNo,
    code: z.string().openapi({ example: "7-3" }),
    qty: z.number().int().openapi({ example: 20 }),
  })
  .openapi("PartLocation", { description: "A slot holding the part and how many it holds." });

/** Fields a part and its summary share, declared once. */
const partId = z.string().openapi({ example: "BZQP" });
const manufacturerCode = z.string().nullable().openapi({ example: "G5Q-1A4" });
const typeName = z.string().nullable().openapi({ example: "Relay" });
const description = z.string().openapi({ example: "Relay 5 V SPST 5 A" });
const partTags = z.array(z.string()).openapi({ example: ["5V", "THT"] });
const thumbnailUrl = z.string().nullable().openapi({
  description:
    "The cover image's `sm` WebP thumbnail (256 px; `size=md` for 1024 px) once it is made; null without a cover or before.",
});
const totalQty = z.number().int().openapi({ description: "Sum over all locations.", example: 20 });

export const PartSchema = z
  .object({
    id: partId,
    manufacturerCode,
    manufacturer: z.string().nullable().openapi({ example: "OMRON" }),
    typeId: z.number().int().nullable().openapi({ example: 1 }),
    typeName,
    description,
    tags: partTags,
    package: z.string().nullable().openapi({ example: "THT" }),
    mountingType: z.string().nullable().openapi({ example: "through-hole" }),
    pinCount: z.number().int().nullable().openapi({ example: 4 }),
    voltageRating: z.string().nullable().openapi({ example: "5 V" }),
    seller: z.string().nullable().openapi({ example: "LCSC" }),
    sellerLink: z
      .string()
      .nullable()
      .openapi({ example: "https://www.lcsc.com/product-detail/C2905.html" }),
    coverDocumentId: z.string().nullable().openapi({ format: "uuid" }),
    thumbnailUrl,
    totalQty,
    locations: z.array(PartLocationSchema).openapi({ description: "In box/slot order." }),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .openapi("Part");

export const PartSummarySchema = z
  .object({
    id: partId,
    manufacturerCode,
    description,
    typeName,
    tags: partTags,
    totalQty,
    locationCodes: z.array(z.string()).openapi({
      description: "Codes of the locations holding the part, in box/slot order.",
      example: ["7-3", "12-40"],
    }),
    thumbnailUrl,
  })
  .openapi("PartSummary", {
    description:
      "A part as listed: enough to show a row and find the part on the shelf. `GET /parts/{partId}` answers the full part with each location's quantity.",
  });

export const PartListSchema = PageOf(PartSummarySchema, "PartList");

const MAX_TAGS = 50;

/** Counted as stored: repeats in another case and empty tags do not count. */
const tags = z
  .array(text(50))
  .max(10 * MAX_TAGS)
  .refine(
    (list) => new Set(list.filter(Boolean).map((tag) => tag.toLowerCase())).size <= MAX_TAGS,
    {
      message: `At most ${MAX_TAGS} distinct tags.`,
    },
  )
  .openapi({
    description: `Trimmed, de-duplicated case-insensitively (the first spelling wins), empty ones dropped; at most ${MAX_TAGS} distinct tags of at most 50 characters.`,
    example: ["5V", "THT"],
  });

/** Optional text fields: `null` or an empty string clears them. */
const optionalFields = {
  manufacturerCode: text(100).nullable().optional().openapi({ example: "G5Q-1A4" }),
  manufacturer: text(100).nullable().optional().openapi({ example: "OMRON" }),
  typeId: TypeIdRef.nullable().optional(),
  tags: tags.optional(),
  package: text(50).nullable().optional().openapi({ example: "THT" }),
  mountingType: text(50).nullable().optional().openapi({ example: "through-hole" }),
  pinCount: z.number().int().min(0).max(100_000).nullable().optional().openapi({ example: 4 }),
  voltageRating: text(50).nullable().optional().openapi({ example: "5 V" }),
  seller: Seller.nullable().optional(),
  sellerLink: HttpUrl.nullable().optional(),
};

export const StockSlotSchema = z
  .object({ boxNo: BoxNo, locNo: LocNo, qty: Qty })
  .openapi("StockSlot", { description: "A quantity in one slot." });

export const PartCreateSchema = z
  .object({
    description: requiredText(500).openapi({ example: "Relay 5 V SPST 5 A" }),
    ...optionalFields,
    initialStock: z.array(StockSlotSchema).max(50).optional().openapi({
      description:
        "Stock to put in at once (ledger reason `add`), in the same transaction as the part. Entries naming the same slot are added together.",
    }),
    attachDocumentIds: z
      .array(DocumentId)
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, { message: "Ids must not repeat." })
      .optional()
      .openapi({
        description:
          "Draft documents from photo intake (`documentIds` of its job result) to attach, in the same transaction: an id that is not a waiting draft is 400, one already attached to a part 409. The first image becomes the cover.",
      }),
  })
  .openapi("PartCreate");

export const PartUpdateSchema = z
  .object({
    description: requiredText(500).optional().openapi({ example: "Relay 5 V SPST 5 A" }),
    ...optionalFields,
  })
  .openapi("PartUpdate", { description: "Only the fields given change; `null` clears one." });

export const PartListQuery = z.object({
  typeId: IdQuery("typeId", "Parts of this type."),
  tag: requiredText(50)
    .optional()
    .openapi({
      param: { name: "tag", in: "query" },
      description: "Parts carrying this tag (case-insensitive).",
      example: "5V",
    }),
  inStock: z
    .enum(["true", "false"])
    .optional()
    .openapi({
      param: { name: "inStock", in: "query" },
      description: "`true`: parts with stock somewhere; `false`: parts with none.",
    }),
  sort: z
    .enum(["id", "createdAt", "-createdAt"])
    .default("id")
    .openapi({
      param: { name: "sort", in: "query" },
      description: "`id` (default), `createdAt` oldest first, `-createdAt` newest first.",
    }),
  ...PageQuery,
});

export type PartCreate = z.infer<typeof PartCreateSchema>;
export type PartUpdate = z.infer<typeof PartUpdateSchema>;
export type PartListParams = z.infer<typeof PartListQuery>;
export type PartDto = z.infer<typeof PartSchema>;
export type PartSummaryDto = z.infer<typeof PartSummarySchema>;
export type StockSlot = z.infer<typeof StockSlotSchema>;
