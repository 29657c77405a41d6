import { badRequest, conflict, notFound } from "../../lib/errors";
import { locationCode } from "../../lib/schemas";

export const boxNotFound = (boxNo: number) =>
  notFound("boxes.not_found", `Box ${boxNo} does not exist.`);

export const slotNotFound = (boxNo: number, locNo: number) =>
  notFound("locations.not_found", `Location ${locationCode(boxNo, locNo)} does not exist.`);

const codes = (boxNo: number, locNos: number[]) =>
  locNos.map((locNo) => locationCode(boxNo, locNo)).join(", ");

export const shrinkOverStock = (boxNo: number, locNos: number[]) =>
  conflict(
    "boxes.shrink_over_stock",
    `Box ${boxNo} cannot shrink: slots ${codes(boxNo, locNos)} still hold stock.`,
  );

export const boxHoldsStock = (boxNo: number, locNos: number[]) =>
  conflict(
    "boxes.holds_stock",
    `Box ${boxNo} cannot be deleted: slots ${codes(boxNo, locNos)} still hold stock.`,
  );

export const malformedLocationCode = (code: string) =>
  badRequest("locations.malformed_code", `"${code}" is not a location code like 7-3.`, [
    { path: "code", message: "Expected box-slot, e.g. 7-3." },
  ]);
