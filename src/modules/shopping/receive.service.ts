import type { Deps } from "../../deps";
import { runIdempotent } from "../../lib/idempotency";
import type { Db } from "../../platform/db";
import { suggestFreeSlots } from "../locations/suggestions.repo";
import { findPartById } from "../parts/parts.repo";
import type { StockSlot } from "../parts/parts.schemas";
import { getPart, insertPartWithNewId } from "../parts/parts.service";
import {
  applySlotDeltas,
  findStockOfPart,
  mergeSlots,
  tryChangeSlotQty,
} from "../stock/stock.repo";
import { lockPartForStockChange } from "../stock/stock.service";
import {
  itemAlreadyReceived,
  itemNotFound,
  locationsDoNotAddUp,
  noFreeSlot,
  suggestedSlotsTaken,
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
    if (given) {
      const deltas = given.map((slot) => ({ ...slot, delta: slot.qty }));
      await applySlotDeltas(tx, partId, deltas, "receive", String(item.id));
    } else {
      await receiveIntoSuggestedSlot(tx, item, partId, qty);
    }
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

/**
 * Each refused attempt means a concurrent change took the suggested slot and committed
 * (the conditional update waited for it), so the next suggestion, read afresh, differs.
 */
const SUGGESTION_ATTEMPTS = 20;

/**
 * Puts the stock into the suggested slot. Two receives running at once are suggested the
 * same free slot; the update of the later one waits for the first and is then refused, so
 * it asks for a suggestion again and goes to the next free slot instead of failing.
 */
async function receiveIntoSuggestedSlot(
  tx: Db,
  item: repo.ShoppingItemRow,
  partId: string,
  qty: number,
) {
  for (let attempt = 1; attempt <= SUGGESTION_ATTEMPTS; attempt++) {
    const slot = await suggestedSlot(tx, item, partId, qty);
    const change = {
      partId,
      ...slot,
      delta: qty,
      reason: "receive" as const,
      refId: String(item.id),
    };
    if ((await tryChangeSlotQty(tx, change)) !== undefined) return;
  }
  throw suggestedSlotsTaken(item.id, SUGGESTION_ATTEMPTS);
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
