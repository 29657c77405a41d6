import { and, asc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import { locationsTable } from "../boxes/boxes.table";
import { partsTable } from "../parts/parts.table";
import { projectsTable, requirementsTable } from "./projects.table";

const projectColumns = {
  id: projectsTable.id,
  name: projectsTable.name,
  notes: projectsTable.notes,
  // Qualified by hand: Drizzle leaves columns of a single-table select unqualified.
  requirementCount: sql<number>`(select count(*)::int from project_requirements r where r.project_id = "projects"."id")`,
  createdAt: projectsTable.createdAt,
  updatedAt: projectsTable.updatedAt,
};

export function listProjects(db: Db, params: { afterId: number; limit: number }) {
  return db
    .select(projectColumns)
    .from(projectsTable)
    .where(gt(projectsTable.id, params.afterId))
    .orderBy(asc(projectsTable.id))
    .limit(params.limit);
}

export async function findProject(db: Db, id: number) {
  const [row] = await db.select(projectColumns).from(projectsTable).where(eq(projectsTable.id, id));
  return row;
}

/** Must run inside a transaction: serialises builds and shortage runs of one project. */
export async function lockProject(tx: Db, id: number) {
  const [row] = await tx
    .select({ id: projectsTable.id, name: projectsTable.name })
    .from(projectsTable)
    .where(eq(projectsTable.id, id))
    .for("update");
  return row;
}

export async function insertProject(db: Db, project: { name: string; notes: string }) {
  const [row] = await db.insert(projectsTable).values(project).returning({ id: projectsTable.id });
  return row!.id;
}

export async function updateProject(db: Db, id: number, patch: { name?: string; notes?: string }) {
  const rows = await db
    .update(projectsTable)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(projectsTable.id, id))
    .returning({ id: projectsTable.id });
  return rows.length > 0;
}

export async function deleteProject(db: Db, id: number) {
  const rows = await db
    .delete(projectsTable)
    .where(eq(projectsTable.id, id))
    .returning({ id: projectsTable.id });
  return rows.length > 0;
}

/**
 * A project's requirements with the stock of each part and, for placeholders, the oldest
 * catalogued part carrying the same manufacturer code (compared trimmed, case-insensitive).
 */
export function listRequirementsWithStock(db: Db, projectId: number) {
  const r = requirementsTable;
  return db
    .select({
      id: r.id,
      partId: r.partId,
      placeholderManufacturerCode: r.placeholderManufacturerCode,
      placeholderDescription: r.placeholderDescription,
      requiredQty: r.requiredQty,
      partDescription: partsTable.description,
      partManufacturerCode: partsTable.manufacturerCode,
      partTypeId: partsTable.typeId,
      partSeller: partsTable.seller,
      partSellerLink: partsTable.sellerLink,
      availableQty: sql<number>`coalesce((select sum(l.qty)::int from locations l where l.part_id = ${r.partId}), 0)`,
      matchingPartId: sql<string | null>`(
        select p.id from parts p
        where ${r.placeholderManufacturerCode} is not null
          and lower(trim(p.manufacturer_code)) = lower(trim(${r.placeholderManufacturerCode}))
        order by p.created_at, p.id limit 1)`,
    })
    .from(r)
    .leftJoin(partsTable, eq(partsTable.id, r.partId))
    .where(eq(r.projectId, projectId))
    .orderBy(asc(r.id));
}

export type RequirementStockRow = Awaited<ReturnType<typeof listRequirementsWithStock>>[number];

export interface RequirementSource {
  partId: string | null;
  placeholderManufacturerCode: string | null;
  placeholderDescription: string | null;
}

export async function insertRequirement(
  db: Db,
  requirement: RequirementSource & { projectId: number; requiredQty: number },
) {
  const [row] = await db
    .insert(requirementsTable)
    .values(requirement)
    .returning({ id: requirementsTable.id });
  return row!.id;
}

export async function updateRequirement(
  db: Db,
  projectId: number,
  id: number,
  patch: Partial<RequirementSource> & { requiredQty?: number },
) {
  const rows = await db
    .update(requirementsTable)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(requirementsTable.projectId, projectId), eq(requirementsTable.id, id)))
    .returning({ id: requirementsTable.id });
  return rows.length > 0;
}

export async function deleteRequirement(db: Db, projectId: number, id: number) {
  const rows = await db
    .delete(requirementsTable)
    .where(and(eq(requirementsTable.projectId, projectId), eq(requirementsTable.id, id)))
    .returning({ id: requirementsTable.id });
  return rows.length > 0;
}

export async function touchProject(db: Db, id: number) {
  await db.update(projectsTable).set({ updatedAt: sql`now()` }).where(eq(projectsTable.id, id));
}

/** Projects with a requirement on the part, by id. */
export function projectsRequiringPart(db: Db, partId: string) {
  return db
    .selectDistinct({ id: projectsTable.id, name: projectsTable.name })
    .from(requirementsTable)
    .innerJoin(projectsTable, eq(projectsTable.id, requirementsTable.projectId))
    .where(eq(requirementsTable.partId, partId))
    .orderBy(asc(projectsTable.id));
}

const slotColumns = {
  partId: locationsTable.partId,
  boxNo: locationsTable.boxNo,
  locNo: locationsTable.locNo,
  qty: locationsTable.qty,
};

/**
 * Locks the slots holding any of the parts, in box/slot order. Every build locks in this
 * one global order, so two builds never wait on each other in a cycle.
 */
export function lockSlotsOfParts(tx: Db, partIds: string[]) {
  return tx
    .select(slotColumns)
    .from(locationsTable)
    .where(and(isNotNull(locationsTable.partId), inArray(locationsTable.partId, partIds)))
    .orderBy(asc(locationsTable.boxNo), asc(locationsTable.locNo))
    .for("update");
}

/** Locks the given slots in box/slot order (see `lockSlotsOfParts`). */
export function lockSlots(tx: Db, slots: { boxNo: number; locNo: number }[]) {
  const keys = slots.map((slot) => sql`(${slot.boxNo}::int, ${slot.locNo}::int)`);
  return tx
    .select(slotColumns)
    .from(locationsTable)
    .where(sql`(${locationsTable.boxNo}, ${locationsTable.locNo}) in (${sql.join(keys, sql`, `)})`)
    .orderBy(asc(locationsTable.boxNo), asc(locationsTable.locNo))
    .for("update");
}

export type LockedSlot = Awaited<ReturnType<typeof lockSlots>>[number];
