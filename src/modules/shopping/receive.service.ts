import type { Deps } from "../../deps";
import { runIdempotent } from "../../lib/idempotency";
import type { Db } from "../../platform/db";
import { suggestFreeSlots } from "../locations/suggestions.repo";
import { findPartById } from "../parts/parts.repo";
import type { StockSlot } from "../parts/parts.schemas";
import { getPart, insertPartWithNewId } from "../parts/parts.service";
import { applySlotDeltas, findStockOfPart, mergeSlots } from "../stock/stock.repo";
import { lockPartForStockChange } from "../stock/stock.service";
import {
  itemAlreadyReceived,
  itemNotFound,
  locationsDoNotAddUp,
  noFreeSlot,
} from "./shopping.errors";
import * as repo from "./shopping.repo";
import type { Receive } from "./shopping.schemas";
import { toItemDto } from "./shopping.service";

/**
 * Receives an item in one transaction: catalogues its part when it has none, puts the
 * stock into the given slots (or one suggested slot), marks the item received. The item
 * row is locked first, so receiving the same item twice at once stocks it once.
 */
export function receiveItem(
  deps: Pick<Deps, "db" | "newPartId">,
  itemId: number,
  input: Partial<Receive>,
  idempotencyKey?: string,
) {
  const given = input.locations ? mergeSlots(input.locations) : undefined;
  const givenSum = given?.reduce((sum, slot) => sum + slot.qty, 0);
  if (input.qty !== undefined && givenSum !== undefined && givenSum !== input.qty) {
    throw locationsDoNotAddUp(input.qty, givenSum);
  }
  const request = { key: idempotencyKey, scope: `receiveShoppingItem:${itemId}`, body: input };
  return runIdempotent(deps.db, request, 200, async (tx) => {
    const item = await repo.lockItem(tx, itemId);
    if (!item) throw itemNotFound(itemId);
    if (item.status === "received") throw itemAlreadyReceived(itemId);
    const partId = item.partId ?? (await catalogue(tx, deps.newPartId, item));
    await lockPartForStockChange(tx, partId);
    const qty = input.qty ?? givenSum ?? item.desiredQty;
    const slots = given ?? [await suggestedSlot(tx, item, partId, qty)];
    const deltas = slots.map((slot) => ({ ...slot, delta: slot.qty }));
    await applySlotDeltas(tx, partId, deltas, "receive", String(item.id));
    const received = await repo.markReceived(tx, item.id, partId);
    return { part: await getPart(tx, partId), item: toItemDto(received) };
  });
}

function catalogue(tx: Db, newPartId: () => string, item: repo.ShoppingItemRow) {
  return insertPartWithNewId(tx, newPartId, {
    description: item.description,
    manufacturerCode: item.manufacturerCode,
    typeId: item.typeId,
    seller: item.seller,
    sellerLink: item.sellerLink,
  });
}

/** A slot already holding the part, else the first free slot the suggestion tiers offer. */
async function suggestedSlot(
  tx: Db,
  item: repo.ShoppingItemRow,
  partId: string,
  qty: number,
): Promise<StockSlot> {
  const [held] = await findStockOfPart(tx, partId);
  if (held) return { boxNo: held.boxNo, locNo: held.locNo, qty };
  const part = await findPartById(tx, partId);
  const [free] = await suggestFreeSlots(tx, {
    typeId: part?.typeId ?? item.typeId,
    partId,
    count: 1,
  });
  if (!free) throw noFreeSlot(item.id);
  return { boxNo: free.boxNo, locNo: free.locNo, qty };
}
