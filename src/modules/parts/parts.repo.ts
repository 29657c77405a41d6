import { and, asc, desc, eq, gt, inArray, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { compileStatement, type Db } from "../../platform/db";
import { locationsTable } from "../boxes/boxes.table";
import { typesTable } from "../types/types.table";
import { partsTable } from "./parts.table";

export type PartValues = Omit<typeof partsTable.$inferInsert, "id" | "createdAt" | "updatedAt">;

/** The part as read everywhere; `partJson` below must list the same fields. */
const partColumns = {
  id: partsTable.id,
  manufacturerCode: partsTable.manufacturerCode,
  manufacturer: partsTable.manufacturer,
  typeId: partsTable.typeId,
  typeName: typesTable.name,
  description: partsTable.description,
  tags: partsTable.tags,
  package: partsTable.package,
  mountingType: partsTable.mountingType,
  pinCount: partsTable.pinCount,
  voltageRating: partsTable.voltageRating,
  seller: partsTable.seller,
  sellerLink: partsTable.sellerLink,
  coverDocumentId: partsTable.coverDocumentId,
  coverHasThumbnails: sql<boolean>`exists (select 1 from documents d
    where d.id = ${partsTable.coverDocumentId} and d.thumbnails_ready_at is not null)`,
  createdAt: partsTable.createdAt,
  updatedAt: partsTable.updatedAt,
  // Microsecond text: a JS Date would round it to milliseconds and break keyset order.
  createdAtKey: sql<string>`to_char(${partsTable.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

export type PartRow = Awaited<ReturnType<typeof selectParts>>[number];

/** A part row as clients need it, without the keyset helper column. */
export type PartFields = Omit<PartRow, "createdAtKey">;

const utcMillis = (column: SQL) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Whether the cover of part `p` has its thumbnails (what `thumbnailUrl` needs). */
export const coverHasThumbnails = sql`exists (select 1 from documents d
  where d.id = p.cover_document_id and d.thumbnails_ready_at is not null)`;

/**
 * The part row (`parts` aliased `p`, joined `types` aliased `t`) as one JSON value, for
 * statements that answer the part together with other work; read it with `fromPartJson`.
 * JSON reads the same from postgres.js and PGlite.
 */
export const partJson = sql`json_build_object(
  'id', p.id, 'manufacturerCode', p.manufacturer_code, 'manufacturer', p.manufacturer,
  'typeId', p.type_id, 'typeName', t.name, 'description', p.description, 'tags', p.tags,
  'package', p.package, 'mountingType', p.mounting_type, 'pinCount', p.pin_count,
  'voltageRating', p.voltage_rating, 'seller', p.seller, 'sellerLink', p.seller_link,
  'coverDocumentId', p.cover_document_id, 'coverHasThumbnails', ${coverHasThumbnails},
  'createdAt', ${utcMillis(sql`p.created_at`)},
  'updatedAt', ${utcMillis(sql`p.updated_at`)})`;

export type PartJson = Omit<PartFields, "createdAt" | "updatedAt"> & {
  createdAt: string;
  updatedAt: string;
};

export function fromPartJson(json: PartJson): PartFields {
  return { ...json, createdAt: new Date(json.createdAt), updatedAt: new Date(json.updatedAt) };
}

function selectParts(db: Db, where: SQL | undefined) {
  return db
    .select(partColumns)
    .from(partsTable)
    .leftJoin(typesTable, eq(typesTable.id, partsTable.typeId))
    .where(where);
}

/** Inserts a part under `id`; a taken id surfaces as the driver's unique violation. */
export async function insertPart(db: Db, id: string, values: PartValues) {
  await db.insert(partsTable).values({ ...values, id });
}

export async function findPartById(db: Db, id: string) {
  const [row] = await selectParts(db, eq(partsTable.id, id));
  return row;
}

/** A stocked slot as `[boxNo, locNo, qty]`, in box/slot order. */
type SlotTuple = [number, number, number];

/**
 * The part and its stocked slots in one round trip, built into SQL text once: the read
 * behind every `GET /parts/{id}` (and every answer that returns a part). Building the two
 * query-builder statements it replaces cost more CPU than PostgreSQL spent running them.
 */
export const partWithSlotsQuery = (id: SQLWrapper) => sql`
  select ${partJson} as part,
    coalesce((select json_agg(json_build_array(l.box_no, l.loc_no, l.qty)
                order by l.box_no, l.loc_no)
              from locations l where l.part_id = p.id), '[]') as slots
  from parts p left join types t on t.id = p.type_id
  where p.id = ${id}`;

const partWithSlotsStatement = compileStatement<"id">((param) => partWithSlotsQuery(param("id")));

export async function findPartWithSlots(db: Db, id: string) {
  const [row] = await partWithSlotsStatement<{ part: PartJson; slots: SlotTuple[] }>(db, { id });
  if (!row) return undefined;
  const slots = row.slots.map(([boxNo, locNo, qty]) => ({ boxNo, locNo, qty }));
  return { part: fromPartJson(row.part), slots };
}

/**
 * Locks the part row. Stock changes take it shared (`key share`), deletion exclusively,
 * so a delete and a stock change of the same part never interleave.
 */
export async function lockPart(db: Db, id: string, mode: "key share" | "update") {
  const [row] = await db
    .select({ id: partsTable.id })
    .from(partsTable)
    .where(eq(partsTable.id, id))
    .for(mode);
  return row;
}

export async function updatePart(db: Db, id: string, patch: Partial<PartValues>) {
  const rows = await db
    .update(partsTable)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(partsTable.id, id))
    .returning({ id: partsTable.id });
  return rows.length > 0;
}

export async function deletePartRow(db: Db, id: string) {
  await db.delete(partsTable).where(eq(partsTable.id, id));
}

/** Stocked slots of many parts in one query, in box/slot order. */
export function findLocationsOfParts(db: Db, partIds: string[]) {
  if (partIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      partId: sql<string>`${locationsTable.partId}`,
      boxNo: locationsTable.boxNo,
      locNo: locationsTable.locNo,
      qty: locationsTable.qty,
    })
    .from(locationsTable)
    .where(inArray(locationsTable.partId, partIds))
    .orderBy(asc(locationsTable.boxNo), asc(locationsTable.locNo));
}

/** Locks the slots holding a part and returns them. */
export function lockLocationsOfPart(db: Db, partId: string) {
  return db
    .select({ boxNo: locationsTable.boxNo, locNo: locationsTable.locNo })
    .from(locationsTable)
    .where(eq(locationsTable.partId, partId))
    .orderBy(asc(locationsTable.boxNo), asc(locationsTable.locNo))
    .for("update");
}

export type PartKeyset =
  | { sort: "id"; id: string }
  | { sort: "createdAt" | "-createdAt"; createdAt: string; id: string };

export interface PartFilter {
  typeId?: number;
  tag?: string;
  inStock?: boolean;
  sort: "id" | "createdAt" | "-createdAt";
  after?: PartKeyset;
  limit: number;
}

const hasStock = sql`exists (select 1 from locations l where l.part_id = ${partsTable.id})`;

/** Row-value comparison, so the (created_at, id) index serves the keyset directly. */
function afterCondition(after: PartKeyset | undefined): SQL | undefined {
  if (!after) return undefined;
  if (after.sort === "id") return gt(partsTable.id, after.id);
  const key = sql`(${partsTable.createdAt}, ${partsTable.id})`;
  const position = sql`(${after.createdAt}::timestamptz, ${after.id}::text)`;
  return after.sort === "createdAt" ? sql`${key} > ${position}` : sql`${key} < ${position}`;
}

const orderings = {
  id: [asc(partsTable.id)],
  createdAt: [asc(partsTable.createdAt), asc(partsTable.id)],
  "-createdAt": [desc(partsTable.createdAt), desc(partsTable.id)],
};

/** One page of parts in keyset order, fetching `limit + 1` rows. */
export function listParts(db: Db, filter: PartFilter) {
  const conditions = [
    filter.typeId === undefined ? undefined : eq(partsTable.typeId, filter.typeId),
    filter.tag === undefined
      ? undefined
      : sql`${partsTable.tagKeys} @> array[lower(${filter.tag})]`,
    filter.inStock === undefined ? undefined : filter.inStock ? hasStock : sql`not ${hasStock}`,
    afterCondition(filter.after),
  ];
  return selectParts(db, and(...conditions))
    .orderBy(...orderings[filter.sort])
    .limit(filter.limit + 1);
}
