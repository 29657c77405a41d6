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
  placeholdersBlockBuild,
  projectNotFound,
  type Shortage,
  shortfallTooLarge,
} from "./projects.errors";
import * as repo from "./projects.repo";
import type { Build, Pick } from "./projects.schemas";
import { toRequirementDto } from "./projects.service";

/**
 * Puts every shortfall of `kits` copies on the shopping list: one open item per
 * requirement, created once and afterwards only raised when the shortfall grew.
 */
export async function shortagesToShoppingList(db: Db, projectId: number, kits: number) {
  return withTx(db, async (tx) => {
    const project = await repo.findProject(tx, projectId);
    if (!project) throw projectNotFound(projectId);
    const rows = await repo.listRequirementsWithStock(tx, projectId);
    const changed: shoppingRepo.ShoppingItemRow[] = [];
    let created = 0;
    let unchanged = 0;
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
      if (!item) unchanged++;
      else {
        if (item.created) created++;
        changed.push(item);
      }
    }
    return {
      kits,
      items: changed.map(toItemDto),
      created,
      updated: changed.length - created,
      unchanged,
    };
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
 * every part can be taken in full.
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
    const placeholders = rows.filter((row) => row.partId === null);
    if (placeholders.length > 0) {
      throw placeholdersBlockBuild(placeholders.map((r) => r.placeholderManufacturerCode ?? "?"));
    }
    const needs = new Map(
      rows
        .map((row) => [row.partId!, row.requiredQty * kits] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    for (const partId of needs.keys()) await lockPartForStockChange(tx, partId);
    const plan = input.picks
      ? await planFromPicks(tx, needs, input.picks)
      : await planEmptiestFirst(tx, needs, kits);
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

async function planEmptiestFirst(tx: Db, needs: Map<string, number>, kits: number) {
  const slots = await repo.lockSlotsOfParts(tx, [...needs.keys()]);
  const plan: Removal[] = [];
  const shortages: Shortage[] = [];
  for (const [partId, needed] of needs) {
    const own = slots
      .filter((slot) => slot.partId === partId)
      .sort((a, b) => a.qty - b.qty || a.boxNo - b.boxNo || a.locNo - b.locNo);
    const available = own.reduce((sum, slot) => sum + slot.qty, 0);
    if (available < needed) {
      shortages.push({ partId, needed, available });
      continue;
    }
    let left = needed;
    for (const slot of own) {
      if (left === 0) break;
      const qty = Math.min(slot.qty, left);
      plan.push({ partId, boxNo: slot.boxNo, locNo: slot.locNo, qty });
      left -= qty;
    }
  }
  if (shortages.length > 0) throw buildShort(kits, shortages);
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

async function planFromPicks(tx: Db, needs: Map<string, number>, picks: Pick[]) {
  checkPicksAddUp(needs, picks);
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
