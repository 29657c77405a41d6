import { z } from "@hono/zod-openapi";
import { PageOf, PageQuery } from "../../lib/pagination";
import {
  HttpUrl,
  IdParam,
  requiredText,
  Seller,
  TypeIdRef,
  text,
  timestamp,
} from "../../lib/schemas";
import { PartId, PartSchema, Qty, StockSlotSchema } from "../parts/parts.schemas";
import { shoppingStatuses } from "./shopping.table";

const ShoppingStatusSchema = z
  .enum(shoppingStatuses)
  .openapi("ShoppingStatus", { description: "`open` until the item is received." });

export const ShoppingItemSchema = z
  .object({
    id: z.number().int().openapi({ example: 12 }),
    partId: z.string().nullable().openapi({
      description: "The catalogued part; null for a part not in the catalogue yet.",
      example: "BZQP",
    }),
    manufacturerCode: z.string().nullable().openapi({ example: "G5Q-1A4" }),
    description: z.string().openapi({ example: "Relay 5 V SPST 5 A" }),
    typeId: z.number().int().nullable().openapi({ example: 1 }),
    desiredQty: z.number().int().openapi({ example: 10 }),
    seller: z.string().nullable().openapi({ example: "LCSC" }),
    sellerLink: z.string().nullable().openapi({ example: "https://www.lcsc.com/product/C12345" }),
    notes: z.string().openapi({ example: "" }),
    status: ShoppingStatusSchema,
    projectId: z.number().int().nullable().openapi({
      description: "The project whose shortage created this item, if any.",
      example: 3,
    }),
    requirementId: z.number().int().nullable().openapi({
      description: "The project requirement this item covers, if any.",
      example: 8,
    }),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .openapi("ShoppingItem");

export const ShoppingItemPageSchema = PageOf(ShoppingItemSchema, "ShoppingItemPage");

const itemFields = {
  manufacturerCode: text(100).nullable().openapi({ example: "G5Q-1A4" }),
  typeId: TypeIdRef.nullable(),
  seller: Seller.nullable(),
  sellerLink: HttpUrl.nullable(),
  notes: text(2000),
};

export const ShoppingItemCreateSchema = z
  .object({
    partId: PartId.optional().openapi({
      description:
        "An existing part. Fields left out (description, code, type, seller, link) are copied from it.",
    }),
    description: requiredText(500).optional().openapi({
      description: "Required unless `partId` is given.",
      example: "Relay 5 V SPST 5 A",
    }),
    desiredQty: Qty.default(1),
    manufacturerCode: itemFields.manufacturerCode.optional(),
    typeId: itemFields.typeId.optional(),
    seller: itemFields.seller.optional(),
    sellerLink: itemFields.sellerLink.optional(),
    notes: itemFields.notes.default(""),
  })
  .openapi("ShoppingItemCreate");

export const ShoppingItemUpdateSchema = z
  .object({
    partId: PartId.nullable().optional(),
    description: requiredText(500).optional(),
    desiredQty: Qty.optional(),
    manufacturerCode: itemFields.manufacturerCode.optional(),
    typeId: itemFields.typeId.optional(),
    seller: itemFields.seller.optional(),
    sellerLink: itemFields.sellerLink.optional(),
    notes: itemFields.notes.optional(),
  })
  .openapi("ShoppingItemUpdate");

export const ReceiveSchema = z
  .object({
    qty: Qty.optional().openapi({
      description: "How many arrived; defaults to the sum of `locations`, else `desiredQty`.",
    }),
    locations: z.array(StockSlotSchema).min(1).max(100).optional().openapi({
      description:
        "Where to put the stock; must add up to `qty`. Omitted: one suggested slot (a slot already holding the part, else the first suggested free slot).",
    }),
  })
  .openapi("ShoppingItemReceive");

export const ReceiveResultSchema = z
  .object({ part: PartSchema, item: ShoppingItemSchema })
  .openapi("ShoppingItemReceived", { description: "The stocked part and the received item." });

export const ShoppingListQuery = z.object({
  ...PageQuery,
  status: ShoppingStatusSchema.optional().openapi({
    param: { name: "status", in: "query" },
    description: "Only items with this status.",
  }),
});

export const ItemIdParams = z.object({ itemId: IdParam("itemId", "Shopping-list item id.") });

export type ShoppingItemDto = z.infer<typeof ShoppingItemSchema>;
export type ShoppingItemCreate = z.infer<typeof ShoppingItemCreateSchema>;
export type ShoppingItemUpdate = z.infer<typeof ShoppingItemUpdateSchema>;
export type Receive = z.infer<typeof ReceiveSchema>;
export type ShoppingListQuery = z.infer<typeof ShoppingListQuery>;
