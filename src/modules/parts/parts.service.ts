import { z } from "@hono/zod-openapi";
import type { Deps } from "../../deps";
import { decodeCursor, encodeCursor, toPage } from "../../lib/pagination";
import { isUniqueViolation } from "../../lib/pg-errors";
import { locationCode } from "../../lib/schemas";
import { type Db, withTx } from "../../platform/db";
import { claimDraftDocuments } from "../documents/documents.drafts";
import { removeStoredObjects, thumbnailPath } from "../documents/documents.objects";
import { findStoredObjectsOfPart } from "../documents/documents.repo";
import { assertNoProjectRequiresPart } from "../projects/projects.service";
import { applySlotDeltas, mergeSlots } from "../stock/stock.repo";
import { assertTypeExists, throwIfTypeGone } from "../types/types.service";
import { partHoldsStock, partIdsExhausted, partNotFound } from "./parts.errors";
import * as repo from "./parts.repo";
import type {
  PartCreate,
  PartDto,
  PartListParams,
  PartSummaryDto,
  PartUpdate,
  StockSlot,
} from "./parts.schemas";

/** Enough for a sparse id space; only a nearly full one (26^4 = 456,976 ids) runs out. */
const ID_ATTEMPTS = 20;

interface Located {
  boxNo: number;
  locNo: number;
  qty: number;
}

export function toPartDto(row: repo.PartFields, located: Located[]): PartDto {
  const locations = located.map(({ boxNo, locNo, qty }) => ({
    boxNo,
    locNo,
    code: locationCode(boxNo, locNo),
    qty,
  }));
  return {
    id: row.id,
    manufacturerCode: row.manufacturerCode,
    manufacturer: row.manufacturer,
    typeId: row.typeId,
    typeName: row.typeName,
    description: row.description,
    tags: row.tags,
    package: row.package,
    mountingType: row.mountingType,
    pinCount: row.pinCount,
    voltageRating: row.voltageRating,
    seller: row.seller,
    sellerLink: row.sellerLink,
    coverDocumentId: row.coverDocumentId,
    thumbnailUrl:
      row.coverDocumentId && row.coverHasThumbnails ? thumbnailPath(row.coverDocumentId) : null,
    totalQty: locations.reduce((sum, slot) => sum + slot.qty, 0),
    locations,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The part as clients see it; works on the client or inside a transaction. */
export async function getPart(db: Db, id: string): Promise<PartDto> {
  const found = await repo.findPartWithSlots(db, id);
  if (!found) throw partNotFound(id);
  return toPartDto(found.part, found.slots);
}

/** Trims, drops empties and keeps the first spelling of tags equal ignoring case. */
export function normaliseTags(tags: string[]): string[] {
  const seen = new Map<string, string>();
  for (const tag of tags) {
    const trimmed = tag.trim();
    const key = trimmed.toLowerCase();
    if (trimmed && !seen.has(key)) seen.set(key, trimmed);
  }
  return [...seen.values()];
}

const blankToNull = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null || value === "" ? null : value;

function toValues(input: PartUpdate): Partial<repo.PartValues> {
  const values: Partial<repo.PartValues> = {
    description: input.description,
    manufacturerCode: blankToNull(input.manufacturerCode),
    manufacturer: blankToNull(input.manufacturer),
    typeId: input.typeId,
    tags: input.tags === undefined ? undefined : normaliseTags(input.tags),
    package: blankToNull(input.package),
    mountingType: blankToNull(input.mountingType),
    pinCount: input.pinCount,
    voltageRating: blankToNull(input.voltageRating),
    seller: blankToNull(input.seller),
    sellerLink: blankToNull(input.sellerLink),
  };
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<repo.PartValues>;
}

/**
 * Inserts a part under a fresh random id inside the caller's transaction, retrying on a
 * taken id. Each attempt runs in a savepoint, so a collision does not abort the caller's
 * transaction: features that create parts as part of a larger change (shopping-list
 * receive) call this with their own `tx`.
 */
export async function insertPartWithNewId(
  tx: Db,
  newPartId: () => string,
  values: repo.PartValues,
): Promise<string> {
  for (let attempt = 1; attempt <= ID_ATTEMPTS; attempt++) {
    const id = newPartId();
    try {
      await tx.transaction((savepoint) => repo.insertPart(savepoint, id, values));
      return id;
    } catch (error) {
      if (!isUniqueViolation(error, "parts_pkey")) {
        throwIfTypeGone(error, "typeId", values.typeId);
        throw error;
      }
    }
  }
  throw partIdsExhausted(ID_ATTEMPTS);
}

/** Puts stock of a part into slots (ledger reason `add`) inside the caller's transaction. */
export async function addInitialStock(tx: Db, partId: string, slots: StockSlot[]) {
  const deltas = mergeSlots(slots).map((slot) => ({ ...slot, delta: slot.qty }));
  await applySlotDeltas(tx, partId, deltas, "add");
}

export async function createPart(
  deps: Pick<Deps, "db" | "newPartId">,
  input: PartCreate,
): Promise<PartDto> {
  await assertTypeExists(deps.db, "typeId", input.typeId);
  const { initialStock = [], attachDocumentIds = [], ...fields } = input;
  return withTx(deps.db, async (tx) => {
    const values = { ...toValues(fields), description: fields.description };
    const id = await insertPartWithNewId(tx, deps.newPartId, values);
    await addInitialStock(tx, id, initialStock);
    await claimDraftDocuments(tx, id, attachDocumentIds);
    return getPart(tx, id);
  });
}

export async function updatePart(db: Db, id: string, patch: PartUpdate): Promise<PartDto> {
  await assertTypeExists(db, "typeId", patch.typeId);
  try {
    if (!(await repo.updatePart(db, id, toValues(patch)))) throw partNotFound(id);
  } catch (error) {
    throwIfTypeGone(error, "typeId", patch.typeId);
    throw error;
  }
  return getPart(db, id);
}

/**
 * Refuses to delete a part that other state still needs. Runs inside the delete
 * transaction with the part row locked exclusively, so no stock change can slip in.
 * This is the hook point for rules of other features (a project requiring the part).
 */
async function assertPartDeletable(tx: Db, id: string) {
  const stocked = await repo.lockLocationsOfPart(tx, id);
  if (stocked.length > 0) throw partHoldsStock(id, stocked);
  await assertNoProjectRequiresPart(tx, id);
}

/**
 * Deletes a part and everything that only belongs to it (its ledger and documents go by
 * cascade), then its documents' stored files once the rows are gone. Refused (409) while
 * it holds stock. Features owning per-part data extend `assertPartDeletable` (refusals)
 * and this transaction (their rows).
 */
export async function deletePart(
  deps: Pick<Deps, "db" | "storage" | "logger">,
  id: string,
): Promise<void> {
  const objects = await withTx(deps.db, async (tx) => {
    if (!(await repo.lockPart(tx, id, "update"))) throw partNotFound(id);
    await assertPartDeletable(tx, id);
    const stored = await findStoredObjectsOfPart(tx, id);
    await repo.deletePartRow(tx, id);
    return stored;
  });
  await removeStoredObjects(deps, objects);
}

const CursorPartId = z.string().regex(/^[A-Z]{4}$/);
const IdCursor = z.tuple([z.literal("id"), CursorPartId]);
const CreatedAtCursor = z.tuple([
  z.enum(["createdAt", "-createdAt"]),
  z.iso.datetime({ offset: true, precision: 6 }),
  CursorPartId,
]);

function decodePartCursor(sort: PartListParams["sort"], cursor: string | undefined) {
  if (sort === "id") {
    const position = decodeCursor(cursor, IdCursor);
    return position && { sort, id: position[1] };
  }
  const position = decodeCursor(
    cursor,
    CreatedAtCursor.refine(([kind]) => kind === sort),
  );
  return position && { sort, createdAt: position[1], id: position[2] };
}

function toPartSummaryDto(row: repo.PartSummaryRow): PartSummaryDto {
  return {
    id: row.id,
    manufacturerCode: row.manufacturerCode,
    description: row.description,
    typeName: row.typeName,
    tags: row.tags,
    totalQty: row.totalQty,
    locationCodes: row.locationCodes,
    thumbnailUrl: row.thumbnailOf ? thumbnailPath(row.thumbnailOf) : null,
  };
}

/** One page of part summaries: one statement whatever the filter. */
export async function listParts(db: Db, params: PartListParams) {
  const rows = await repo.listPartSummaries(db, {
    typeId: params.typeId,
    tag: params.tag,
    inStock: params.inStock === undefined ? undefined : params.inStock === "true",
    sort: params.sort,
    after: decodePartCursor(params.sort, params.cursor),
    limit: params.limit,
  });
  return toPage(rows, params.limit, toPartSummaryDto, (row) =>
    encodeCursor(params.sort === "id" ? ["id", row.id] : [params.sort, row.createdAtKey, row.id]),
  );
}

/** Values proposed for a part by someone other than its owner (the AI helpers). */
export interface PartSuggestion {
  tags: string[];
  typeId: number | null;
  manufacturer: string | null;
  package: string | null;
  mountingType: string | null;
  pinCount: number | null;
  voltageRating: string | null;
}

export type AppliedFields = Partial<Omit<PartSuggestion, "tags">> & { tags?: string[] };

const MAX_PART_TAGS = 50;
const fillable = ["manufacturer", "package", "mountingType", "pinCount", "voltageRating"] as const;

/**
 * Applies suggestions without overwriting what the user entered: tags are merged (the
 * part's own first, up to the limit), empty fields filled, the type set only when the part
 * has none. One transaction with the part row locked; answers exactly what changed.
 */
export async function applyPartSuggestion(
  db: Db,
  id: string,
  suggestion: PartSuggestion,
): Promise<AppliedFields> {
  return withTx(db, async (tx) => {
    if (!(await repo.lockPart(tx, id, "update"))) throw partNotFound(id);
    const part = await getPart(tx, id);
    const applied: AppliedFields = {};
    const tags = normaliseTags([...part.tags, ...suggestion.tags]).slice(0, MAX_PART_TAGS);
    if (tags.length > part.tags.length) applied.tags = tags;
    for (const field of fillable) {
      const value = suggestion[field];
      if (value !== null && part[field] === null) Object.assign(applied, { [field]: value });
    }
    if (suggestion.typeId !== null && part.typeId === null) {
      await assertTypeExists(tx, "typeId", suggestion.typeId);
      applied.typeId = suggestion.typeId;
    }
    if (Object.keys(applied).length > 0) await repo.updatePart(tx, id, applied);
    return applied;
  });
}
