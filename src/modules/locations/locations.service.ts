import type { Db } from "../../platform/db";
import { malformedLocationCode, slotNotFound } from "../boxes/boxes.errors";
import { findSlot } from "../boxes/boxes.repo";
import { toSlotDto } from "../boxes/boxes.service";

const CODE = /^(\d{1,9})-(\d{1,4})$/;

/** Parses `7-3` into box 7, slot 3. */
export function parseLocationCode(code: string) {
  const match = CODE.exec(code.trim());
  if (!match) throw malformedLocationCode(code);
  return { boxNo: Number(match[1]), locNo: Number(match[2]) };
}

export async function getLocation(db: Db, code: string) {
  const { boxNo, locNo } = parseLocationCode(code);
  const slot = await findSlot(db, boxNo, locNo);
  if (!slot) throw slotNotFound(boxNo, locNo);
  return toSlotDto(slot);
}
