import { runIdempotent } from "../../lib/idempotency";
import { locationCode } from "../../lib/schemas";
import { type Db, withTx } from "../../platform/db";
import { QTY_MAX } from "../parts/parts.schemas";
import * as shoppingRepo from "../shopping/shopping.repo";
import { toItemDto } from "../shopping/shopping.service";
import { changeSlotQty } from "../stock/stock.repo";
import { lockPartForStockChange } from "../stock/stock.service";
import {
  buildShort,
  nothingToBuild,
  pickForUnrequiredPart,
  pickSlotMismatch,
  pickSlotsNotFound,
  picksDoNotAddUp,
  picksShort,
  projectNotFound,
  shortfallTooLarge,
} from "./projects.errors";
import * as repo from "./projects.repo";
import type { Build, BuildShortage, Pick } from "./projects.schemas";
import { toRequirementDto } from "./projects.service";

/**
 * Puts every shortfall of `kits` copies on the shopping list: one open item per
 * requirement, created once and afterwards only raised when the shortfall grew. Answers
 * the open item covering each shortfall, whether created, raised or already enough, so a
 * repeated run answers the same items.
 */
export async function shortagesToShoppingList(db: Db, projectId: number, kits: number) {
  return withTx(db, async (tx) => {
    const project = await repo.findProject(tx, projectId);
    if (!project) throw projectNotFound(projectId);
    const rows = await repo.listRequirementsWithStock(tx, projectId);
    const covering = new Map<number, shoppingRepo.ShoppingItemRow | undefined>();
    let created = 0;
    let updated = 0;
    for (const row of rows) {
      const { shortfall } = toRequirementDto(row, kits);
      if (shortfall === 0) continue;
      if (shortfall > QTY_MAX) {
        const what = row.partId ?? row.placeholderManufacturerCode ?? `requirement ${row.id}`;
        throw shortfallTooLarge(kits, what, shortfall, QTY_MAX);
      }
      const item = await shoppingRepo.upsertShortageItem(tx, {
        ...shortageItemFields(row),
        desiredQty: shortfall,
        notes: `For project "${project.name}".`,
        projectId,
        requirementId: row.id,
      });
      if (item?.created) created++;
      else if (item) updated++;
      covering.set(row.id, item);
    }
    // An item already covering its shortfall was left alone (and locked) by the upsert.
    const unchanged = [...covering].flatMap(([id, item]) => (item ? [] : [id]));
    if (unchanged.length > 0) {
      for (const item of await shoppingRepo.listOpenItemsOfRequirements(tx, unchanged)) {
        covering.set(item.requirementId!, item);
      }
    }
    const items = [...covering.values()].flatMap((item) => (item ? [toItemDto(item)] : []));
    return { kits, items, created, updated, unchanged: unchanged.length };
  });
}

function shortageItemFields(row: repo.RequirementStockRow) {
  if (row.partId === null) {
    return {
      partId: null,
      manufacturerCode: row.placeholderManufacturerCode,
      description: row.placeholderDescription ?? "",
    };
  }
  return {
    partId: row.partId,
    manufacturerCode: row.partManufacturerCode,
    description: row.partDescription ?? "",
    typeId: row.partTypeId,
    seller: row.partSeller,
    sellerLink: row.partSellerLink,
  };
}

interface Removal {
  partId: string;
  boxNo: number;
  locNo: number;
  qty: number;
}

/**
 * Takes `kits ×` every requirement out of stock in one transaction: from the picks, or
 * else from the emptiest slots first so that slots are freed. Nothing changes unless
 * every requirement can be taken in full; otherwise one 409 names every short one,
 * placeholders (which have no stock) included.
 */
export async function buildProject(
  db: Db,
  projectId: number,
  input: Partial<Build>,
  idempotencyKey?: string,
) {
  const kits = input.kits ?? 1;
  const request = { key: idempotencyKey, scope: `buildProject:${projectId}`, body: input };
  return runIdempotent(db, request, 200, async (tx) => {
    if (!(await repo.findProject(tx, projectId))) throw projectNotFound(projectId);
    const rows = await repo.listRequirementsWithStock(tx, projectId);
    if (rows.length === 0) throw nothingToBuild(projectId);
    const needs = new Map(
      rows
        .flatMap((row) =>
          row.partId === null ? [] : [[row.partId, row.requiredQty * kits] as const],
        )
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    if (input.picks) checkPicksAddUp(needs, input.picks);
    for (const partId of needs.keys()) await lockPartForStockChange(tx, partId);
    const plan = input.picks
      ? await planFromPicks(tx, rows, kits, input.picks)
      : await planEmptiestFirst(tx, rows, kits, needs);
    const removals = [];
    for (const step of plan.sort((a, b) => a.boxNo - b.boxNo || a.locNo - b.locNo)) {
      const remainingQty = await changeSlotQty(tx, {
        ...step,
        delta: -step.qty,
        reason: "build",
        refId: String(projectId),
      });
      removals.push({ ...step, code: locationCode(step.boxNo, step.locNo), remainingQty });
    }
    return { projectId, kits, removals };
  });
}

/** Throws one 409 naming every requirement its part's stock (`availableOf`) cannot cover. */
function assertNoShortages(
  rows: repo.RequirementStockRow[],
  kits: number,
  availableOf: (partId: string) => number,
) {
  const shortages = rows.flatMap((row): BuildShortage[] => {
    const required = row.requiredQty * kits;
    const available = row.partId === null ? 0 : availableOf(row.partId);
    if (available >= required) return [];
    const { partId, placeholder } = toRequirementDto(row, kits);
    const shortfall = required - available;
    return [{ requirementId: row.id, partId, placeholder, required, available, shortfall }];
  });
  if (shortages.length > 0) throw buildShort(kits, shortages);
}

async function planEmptiestFirst(
  tx: Db,
  rows: repo.RequirementStockRow[],
  kits: number,
  needs: Map<string, number>,
) {
  const slots = needs.size > 0 ? await repo.lockSlotsOfParts(tx, [...needs.keys()]) : [];
  const stock = new Map<string, number>();
  for (const slot of slots) stock.set(slot.partId!, (stock.get(slot.partId!) ?? 0) + slot.qty);
  assertNoShortages(rows, kits, (partId) => stock.get(partId) ?? 0);
  const plan: Removal[] = [];
  for (const [partId, needed] of needs) {
    const own = slots
      .filter((slot) => slot.partId === partId)
      .sort((a, b) => a.qty - b.qty || a.boxNo - b.boxNo || a.locNo - b.locNo);
    let left = needed;
    for (const slot of own) {
      if (left === 0) break;
      const qty = Math.min(slot.qty, left);
      plan.push({ partId, boxNo: slot.boxNo, locNo: slot.locNo, qty });
      left -= qty;
    }
  }
  return plan;
}

const slotKey = (slot: { boxNo: number; locNo: number }) => `${slot.boxNo}-${slot.locNo}`;

/** Same part and slot picked twice count as one pick of the sum. */
function mergePicks(picks: Pick[]): Removal[] {
  const merged = new Map<string, Removal>();
  for (const pick of picks) {
    const key = `${pick.partId}@${slotKey(pick)}`;
    const existing = merged.get(key);
    if (existing) existing.qty += pick.qty;
    else merged.set(key, { ...pick });
  }
  return [...merged.values()];
}

function checkPicksAddUp(needs: Map<string, number>, picks: Pick[]) {
  picks.forEach((pick, index) => {
    if (!needs.has(pick.partId)) throw pickForUnrequiredPart(index, pick.partId);
  });
  const mismatches = [...needs].flatMap(([partId, needed]) => {
    const picked = picks.filter((p) => p.partId === partId).reduce((sum, p) => sum + p.qty, 0);
    return picked === needed ? [] : [{ partId, needed, picked }];
  });
  if (mismatches.length > 0) throw picksDoNotAddUp(mismatches);
}

/**
 * The picks as given, checked against the slots they name (locked). A part whose whole
 * stock is short cannot be picked in full; that is reported first, with every other
 * short requirement, from the stock counted when the requirements were read.
 */
async function planFromPicks(
  tx: Db,
  rows: repo.RequirementStockRow[],
  kits: number,
  picks: Pick[],
) {
  const stock = new Map(rows.map((row) => [row.partId, row.availableQty]));
  assertNoShortages(rows, kits, (partId) => stock.get(partId) ?? 0);
  const plan = mergePicks(picks);
  const locked = new Map((await repo.lockSlots(tx, plan)).map((slot) => [slotKey(slot), slot]));
  const missing = plan.filter((step) => !locked.has(slotKey(step)));
  if (missing.length > 0) throw pickSlotsNotFound(missing);
  const wrongPart = plan.flatMap((step) => {
    const holds = locked.get(slotKey(step))!.partId;
    return holds === step.partId ? [] : [{ ...step, holds }];
  });
  if (wrongPart.length > 0) throw pickSlotMismatch(wrongPart);
  const short = plan.flatMap((step) => {
    const held = locked.get(slotKey(step))!.qty;
    return held >= step.qty ? [] : [{ ...step, held, wanted: step.qty }];
  });
  if (short.length > 0) throw picksShort(short);
  return plan;
}
