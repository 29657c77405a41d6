import { z } from "@hono/zod-openapi";
import { NextCursor, PageQuery } from "../../lib/pagination";
import { BoxNo, LocationRefSchema, LocNo, timestamp } from "../../lib/schemas";
import { StockSlotSchema } from "../parts/parts.schemas";
import { ledgerReasons } from "./ledger.table";

const sameSlot = (a: { boxNo: number; locNo: number }, b: { boxNo: number; locNo: number }) =>
  a.boxNo === b.boxNo && a.locNo === b.locNo;

export const StockAddSchema = StockSlotSchema.openapi("StockAdd", {
  description: "Put `qty` of the part into a free slot or one already holding it.",
});

export const StockRemoveSchema = z
  .object({
    removals: z.array(StockSlotSchema).min(1).max(100).openapi({
      description: "Entries naming the same slot are added together.",
    }),
  })
  .openapi("StockRemove");

export const StockMoveSchema = z
  .object({
    from: LocationRefSchema,
    to: z.array(StockSlotSchema).min(1).max(50).openapi({
      description:
        "Targets and how many go to each; several targets split the stock. Entries naming the same slot are added together; a target equal to `from` is refused.",
    }),
  })
  .superRefine((move, ctx) => {
    move.to.forEach((target, index) => {
      if (sameSlot(target, move.from)) {
        ctx.addIssue({
          code: "custom",
          path: ["to", index],
          message: "A move needs a target other than its source.",
        });
      }
    });
  })
  .openapi("StockMove");

export const HistoryEntrySchema = z
  .object({
    id: z.number().int().openapi({ example: 1042 }),
    deltaQty: z.number().int().openapi({ description: "Positive in, negative out.", example: -3 }),
    boxNo: BoxNo,
    locNo: LocNo,
    reason: z.enum(ledgerReasons),
    refId: z
      .string()
      .nullable()
      .openapi({ description: "Ties rows of one operation together (a move, a build)." }),
    at: timestamp(),
  })
  .openapi("HistoryEntry");

export const HistoryListSchema = z
  .object({ items: z.array(HistoryEntrySchema), nextCursor: NextCursor })
  .openapi("History");

export const HistoryQuery = z.object(PageQuery);

export type StockAdd = z.infer<typeof StockAddSchema>;
export type StockRemove = z.infer<typeof StockRemoveSchema>;
export type StockMove = z.infer<typeof StockMoveSchema>;
export type HistoryParams = z.infer<typeof HistoryQuery>;
