import { locationCode } from "../../lib/schemas";
import type { Db } from "../../platform/db";
import { partNotFound } from "../parts/parts.errors";
import { findPartById } from "../parts/parts.repo";
import { assertTypeExists } from "../types/types.service";
import { type SuggestionRow, suggestFreeSlots } from "./suggestions.repo";

/** "Relay" → "Relays", "Mechanical" → "Mechanical parts", for reasons read by people. */
export function pluralTypeName(name: string): string {
  if (/al$/i.test(name)) return `${name} parts`;
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/i.test(name)) return `${name}es`;
  return `${name}s`;
}

function reasonFor(row: SuggestionRow, partId: string | undefined): string {
  const types = row.typeName ? pluralTypeName(row.typeName) : "this type";
  switch (row.tier) {
    case "part_box":
      return `Box ${row.boxNo} already holds ${partId ?? "this part"}.`;
    case "type_box":
      return `Box ${row.boxNo} already holds ${types}.`;
    case "designated_box":
      return `Box ${row.boxNo} is meant for ${types}.`;
    case "first_free":
      return `${locationCode(row.boxNo, row.locNo)} is the first free location over all boxes.`;
  }
}

async function suggest(db: Db, params: { typeId: number | null; partId?: string; count: number }) {
  const rows = await suggestFreeSlots(db, params);
  return {
    items: rows.map((row) => ({
      boxNo: row.boxNo,
      locNo: row.locNo,
      code: locationCode(row.boxNo, row.locNo),
      reason: reasonFor(row, params.partId),
    })),
  };
}

/** Where to put more of an existing part: next to itself first, then next to its type. */
export async function suggestLocationsForPart(db: Db, partId: string, count: number) {
  const part = await findPartById(db, partId);
  if (!part) throw partNotFound(partId);
  return suggest(db, { typeId: part.typeId, partId, count });
}

/** Where to put a part not created yet, by its type. */
export async function suggestLocationsForType(db: Db, typeId: number | undefined, count: number) {
  await assertTypeExists(db, "typeId", typeId);
  return suggest(db, { typeId: typeId ?? null, count });
}
