import { z } from "@hono/zod-openapi";
import { IdPageQuery } from "../../lib/id-cursor";
import { BoxNo, IdParam, LocNo, requiredText, text, timestamp } from "../../lib/schemas";
import { PartIdRef } from "../parts/part-ref";
import { shoppingStatuses } from "./shopping.table";

export const Quantity = z
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .openapi({ description: "A positive whole number.", example: 10 });

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

export const ShoppingItemPageSchema = z
  .object({ items: z.array(ShoppingItemSchema), nextCursor: z.string().nullable() })
  .openapi("ShoppingItemPage");

const sellerLink = z
  .url({ protocol: /^https?$/, error: "Expected an http(s) URL." })
  .max(2000)
  .nullable()
  .openapi({ example: "https://www.lcsc.com/product/C12345" });

const itemFields = {
  manufacturerCode: text(100).nullable().openapi({ example: "G5Q-1A4" }),
  typeId: z.number().int().min(1).nullable().openapi({ example: 1 }),
  seller: text(200).nullable().openapi({ example: "LCSC" }),
  sellerLink,
  notes: text(2000),
};

export const ShoppingItemCreateSchema = z
  .object({
    partId: PartIdRef.optional().openapi({
      description:
        "An existing part. Fields left out (description, code, type, seller, link) are copied from it.",
    }),
    description: requiredText(500).optional().openapi({
      description: "Required unless `partId` is given.",
      example: "Relay 5 V SPST 5 A",
    }),
    desiredQty: Quantity.default(1),
    manufacturerCode: itemFields.manufacturerCode.optional(),
    typeId: itemFields.typeId.optional(),
    seller: itemFields.seller.optional(),
    sellerLink: itemFields.sellerLink.optional(),
    notes: itemFields.notes.default(""),
  })
  .openapi("ShoppingItemCreate");

export const ShoppingItemUpdateSchema = z
  .object({
    partId: PartIdRef.nullable().optional(),
    description: requiredText(500).optional(),
    desiredQty: Quantity.optional(),
    manufacturerCode: itemFields.manufacturerCode.optional(),
    typeId: itemFields.typeId.optional(),
    seller: itemFields.seller.optional(),
    sellerLink: itemFields.sellerLink.optional(),
    notes: itemFields.notes.optional(),
  })
  .openapi("ShoppingItemUpdate");

export const ReceiveLocationSchema = z
  .object({ boxNo: BoxNo, locNo: LocNo, qty: Quantity })
  .openapi("ReceiveLocation");

export const ReceiveSchema = z
  .object({
    qty: Quantity.optional().openapi({
      description: "How many arrived; defaults to the sum of `locations`, else `desiredQty`.",
    }),
    locations: z.array(ReceiveLocationSchema).min(1).max(100).optional().openapi({
      description:
        "Where to put the stock; must add up to `qty`. Omitted: one suggested slot (a slot already holding the part, else the first suggested free slot).",
    }),
  })
  .openapi("ShoppingItemReceive");

export const ShoppingListQuery = IdPageQuery.extend({
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
