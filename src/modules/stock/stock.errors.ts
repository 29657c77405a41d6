import { conflict } from "../../lib/errors";
import { locationCode } from "../../lib/schemas";

export const slotHoldsOtherPart = (boxNo: number, locNo: number, otherPartId: string) =>
  conflict(
    "stock.location_occupied",
    `Location ${locationCode(boxNo, locNo)} already holds part ${otherPartId}; a location holds one part.`,
  );

export const notEnoughStock = (
  partId: string,
  boxNo: number,
  locNo: number,
  held: number,
  wanted: number,
) =>
  conflict(
    "stock.insufficient",
    held === 0
      ? `Location ${locationCode(boxNo, locNo)} holds no ${partId}; cannot remove ${wanted}.`
      : `Location ${locationCode(boxNo, locNo)} holds only ${held} of ${partId}; cannot remove ${wanted}.`,
  );

export const slotFull = (
  partId: string,
  boxNo: number,
  locNo: number,
  held: number,
  adding: number,
) =>
  conflict(
    "stock.slot_full",
    `Location ${locationCode(boxNo, locNo)} holds ${held} of ${partId}; adding ${adding} would pass 2147483647, the most a location counts.`,
  );
