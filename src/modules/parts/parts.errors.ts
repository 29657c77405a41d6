import { conflict, notFound, unavailable } from "../../lib/errors";
import { locationCode } from "../../lib/schemas";

export const partNotFound = (id: string) =>
  notFound("parts.not_found", `Part ${id} does not exist.`);

export const partHoldsStock = (id: string, slots: { boxNo: number; locNo: number }[]) =>
  conflict(
    "parts.holds_stock",
    `Part ${id} cannot be deleted: locations ${slots
      .map((slot) => locationCode(slot.boxNo, slot.locNo))
      .join(", ")} still hold it; remove that stock first.`,
  );

export const partIdsExhausted = (attempts: number) =>
  unavailable(
    "parts.id_unavailable",
    `No free part id found after ${attempts} attempts; try again.`,
  );
