import { z } from "@hono/zod-openapi";
import { decodeCursor, encodeCursor, IntegerKey, toPage } from "../../lib/pagination";
import type { Db } from "../../platform/db";
import { requirePartField, throwIfPartGone } from "../parts/part-ref";
import { assertTypeExists, throwIfTypeGone } from "../types/types.service";
import { descriptionRequired, itemNotFound } from "./shopping.errors";
import * as repo from "./shopping.repo";
import type {
  ShoppingItemCreate,
  ShoppingItemDto,
  ShoppingItemUpdate,
  ShoppingListQuery,
} from "./shopping.schemas";

export function toItemDto(row: repo.ShoppingItemRow): ShoppingItemDto {
  return {
    id: row.id,
    partId: row.partId,
    manufacturerCode: row.manufacturerCode,
    description: row.description,
    typeId: row.typeId,
    desiredQty: row.desiredQty,
    seller: row.seller,
    sellerLink: row.sellerLink,
    notes: row.notes,
    status: row.status,
    projectId: row.projectId,
    requirementId: row.requirementId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const ItemCursor = z.tuple([z.literal("shopping"), IntegerKey]);

export async function listItems(db: Db, query: ShoppingListQuery) {
  const rows = await repo.listItems(db, {
    status: query.status,
    afterId: decodeCursor(query.cursor, ItemCursor)?.[1] ?? 0,
    limit: query.limit + 1,
  });
  return toPage(rows, query.limit, toItemDto, (row) => encodeCursor(["shopping", row.id]));
}

export async function getItem(db: Db, id: number) {
  const row = await repo.findItem(db, id);
  if (!row) throw itemNotFound(id);
  return toItemDto(row);
}

export async function createItem(db: Db, input: ShoppingItemCreate) {
  await assertTypeExists(db, "typeId", input.typeId);
  const part = input.partId ? await requirePartField(db, "partId", input.partId) : undefined;
  const description = input.description ?? part?.description;
  if (!description) throw descriptionRequired();
  const values = {
    partId: part?.id ?? null,
    description,
    desiredQty: input.desiredQty,
    manufacturerCode: pick(input.manufacturerCode, part?.manufacturerCode),
    typeId: pick(input.typeId, part?.typeId),
    seller: pick(input.seller, part?.seller),
    sellerLink: pick(input.sellerLink, part?.sellerLink),
    notes: input.notes,
  };
  try {
    return toItemDto(await repo.insertItem(db, values));
  } catch (error) {
    throwIfReferenceGone(error, values);
    throw error;
  }
}

/** The item's part or type deleted by a concurrent request after the checks: 400. */
function throwIfReferenceGone(
  error: unknown,
  refs: { partId?: string | null; typeId?: number | null },
) {
  throwIfPartGone(error, "partId", refs.partId);
  throwIfTypeGone(error, "typeId", refs.typeId);
}

/** A field the client gave (even null) wins over the part's value. */
function pick<T>(given: T | null | undefined, fromPart: T | null | undefined): T | null {
  return given !== undefined ? given : (fromPart ?? null);
}

export async function updateItem(db: Db, id: number, patch: ShoppingItemUpdate) {
  await assertTypeExists(db, "typeId", patch.typeId);
  if (patch.partId) await requirePartField(db, "partId", patch.partId);
  let row: repo.ShoppingItemRow | undefined;
  try {
    row = await repo.updateItem(db, id, patch);
  } catch (error) {
    throwIfReferenceGone(error, patch);
    throw error;
  }
  if (!row) throw itemNotFound(id);
  return toItemDto(row);
}

export async function deleteItem(db: Db, id: number) {
  if (!(await repo.deleteItem(db, id))) throw itemNotFound(id);
}
