import { locationCode } from "../../lib/schemas";
import { type Db, withTx } from "../../platform/db";
import { assertTypeExists, throwIfTypeGone } from "../types/types.service";
import { boxHoldsStock, boxNotFound, shrinkOverStock } from "./boxes.errors";
import * as repo from "./boxes.repo";
import type { BoxCreate, BoxUpdate } from "./boxes.schemas";

export function toBoxDto(row: repo.BoxRow) {
  return {
    boxNo: row.boxNo,
    description: row.description,
    capacity: row.capacity,
    designatedTypeId: row.designatedTypeId,
    occupied: row.occupied,
    free: row.capacity - row.occupied,
    usagePercent: Math.round((row.occupied / row.capacity) * 1000) / 10,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toSlotDto(row: repo.SlotRow) {
  return {
    boxNo: row.boxNo,
    locNo: row.locNo,
    code: locationCode(row.boxNo, row.locNo),
    part: row.partId
      ? {
          id: row.partId,
          description: row.description ?? "",
          manufacturerCode: row.manufacturerCode,
          qty: row.qty,
        }
      : null,
  };
}

export async function listBoxes(db: Db) {
  return { items: (await repo.listBoxes(db)).map(toBoxDto) };
}

export async function getBox(db: Db, boxNo: number) {
  const box = await repo.findBox(db, boxNo);
  if (!box) throw boxNotFound(boxNo);
  const slots = await repo.findSlotsOfBox(db, boxNo);
  return {
    ...toBoxDto(box),
    locations: slots.map((slot) => {
      const { locNo, code, part } = toSlotDto(slot);
      return { locNo, code, part };
    }),
  };
}

/** A designated type deleted after `assertTypeExists` is 400, as if it never existed. */
const translateTypeGone = (typeId: number | null | undefined) => (error: unknown) => {
  throwIfTypeGone(error, "designatedTypeId", typeId);
  throw error;
};

export async function createBox(db: Db, input: BoxCreate) {
  await assertTypeExists(db, "designatedTypeId", input.designatedTypeId);
  const boxNo = await withTx(db, async (tx) => {
    const next = await repo.nextBoxNo(tx);
    await repo.insertBox(tx, {
      boxNo: next,
      description: input.description,
      capacity: input.capacity,
      designatedTypeId: input.designatedTypeId ?? null,
    });
    await repo.insertSlots(tx, next, 1, input.capacity);
    return next;
  }).catch(translateTypeGone(input.designatedTypeId));
  return getBox(db, boxNo);
}

export async function updateBox(db: Db, boxNo: number, patch: BoxUpdate) {
  await assertTypeExists(db, "designatedTypeId", patch.designatedTypeId);
  await withTx(db, async (tx) => {
    const box = await repo.lockBox(tx, boxNo);
    if (!box) throw boxNotFound(boxNo);
    const capacity = patch.capacity ?? box.capacity;
    if (capacity > box.capacity) await repo.insertSlots(tx, boxNo, box.capacity + 1, capacity);
    if (capacity < box.capacity) {
      const occupied = await repo.lockSlotsReturningOccupied(tx, boxNo, capacity);
      if (occupied.length > 0) throw shrinkOverStock(boxNo, occupied);
      await repo.deleteSlotsAbove(tx, boxNo, capacity);
    }
    await repo.updateBox(tx, boxNo, patch);
  }).catch(translateTypeGone(patch.designatedTypeId));
  return getBox(db, boxNo);
}

export async function deleteBox(db: Db, boxNo: number) {
  await withTx(db, async (tx) => {
    if (!(await repo.lockBox(tx, boxNo))) throw boxNotFound(boxNo);
    const occupied = await repo.lockSlotsReturningOccupied(tx, boxNo);
    if (occupied.length > 0) throw boxHoldsStock(boxNo, occupied);
    await repo.deleteBox(tx, boxNo);
  });
}
