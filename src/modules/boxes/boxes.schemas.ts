import { z } from "@hono/zod-openapi";
import { BoxNo, IdParam, LocNo, TypeIdRef, text, timestamp } from "../../lib/schemas";

export const SlotPartSchema = z
  .object({
    id: z.string().openapi({ example: "BZQP" }),
    description: z.string().openapi({ example: "Relay 5 V SPST 5 A" }),
    manufacturerCode: z.string().nullable().openapi({ example: "G5Q-1A4" }),
    qty: z.number().int().openapi({ example: 20 }),
  })
  .openapi("SlotPart", { description: "The part a slot holds and how many." });

export const SlotSchema = z
  .object({
    locNo: LocNo,
    code: z.string().openapi({ example: "7-3" }),
    part: SlotPartSchema.nullable(),
  })
  .openapi("Slot");

export const LocationSchema = SlotSchema.extend({ boxNo: BoxNo }).openapi("Location");

export const BoxSchema = z
  .object({
    boxNo: BoxNo,
    description: z.string().openapi({ example: "Relays and drivers" }),
    capacity: z.number().int().openapi({ example: 60 }),
    designatedTypeId: z.number().int().nullable().openapi({ example: 1 }),
    occupied: z.number().int().openapi({ description: "Slots holding stock.", example: 12 }),
    free: z.number().int().openapi({ description: "Empty slots.", example: 48 }),
    usagePercent: z
      .number()
      .openapi({ description: "occupied / capacity × 100, one decimal.", example: 20 }),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .openapi("Box");

export const BoxDetailSchema = BoxSchema.extend({
  locations: z.array(SlotSchema).openapi({ description: "Every slot, 1..capacity." }),
}).openapi("BoxDetail");

export const BoxListSchema = z.object({ items: z.array(BoxSchema) }).openapi("BoxList");

const capacity = z.number().int().min(1).max(1000).openapi({
  description: "Number of slots, 1..1000, numbered left-to-right, top-to-bottom.",
  example: 60,
});
const designatedTypeId = TypeIdRef.nullable().openapi({
  description: "The type this box is meant for; location suggestions prefer it.",
  example: 1,
});

export const BoxCreateSchema = z
  .object({
    description: text(200).default("").openapi({ example: "Relays and drivers" }),
    capacity,
    designatedTypeId: designatedTypeId.optional(),
  })
  .openapi("BoxCreate");

export const BoxUpdateSchema = z
  .object({
    description: text(200).optional(),
    capacity: capacity.optional().openapi({
      description: "Growing adds slots; shrinking is refused while a removed slot holds stock.",
    }),
    designatedTypeId: designatedTypeId.optional(),
  })
  .openapi("BoxUpdate");

export const BoxNoParams = z.object({
  boxNo: IdParam("boxNo", "Box number.").openapi({ example: 7 }),
});

export const LocationCodeParams = z.object({
  code: z.string().openapi({
    param: { name: "code", in: "path" },
    description: "`box-slot`, e.g. `7-3`.",
    example: "7-3",
  }),
});

export type BoxCreate = z.infer<typeof BoxCreateSchema>;
export type BoxUpdate = z.infer<typeof BoxUpdateSchema>;
