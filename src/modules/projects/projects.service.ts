import { z } from "@hono/zod-openapi";
import { decodeCursor, encodeCursor, IntegerKey, toPage } from "../../lib/pagination";
import { isReferenceGone, isUniqueViolation } from "../../lib/pg-errors";
import { type Db, withTx } from "../../platform/db";
import { requirePartField, throwIfPartGone } from "../parts/part-ref";
import { linkOpenItemsOfRequirement } from "../shopping/shopping.repo";
import {
  partAlreadyRequired,
  partRequiredByProjects,
  projectNotFound,
  requirementNotFound,
} from "./projects.errors";
import * as repo from "./projects.repo";
import type {
  CoverageStatus,
  ProjectCreate,
  ProjectUpdate,
  RequirementCreate,
  RequirementDto,
  RequirementUpdate,
} from "./projects.schemas";

type ProjectRow = NonNullable<Awaited<ReturnType<typeof repo.findProject>>>;

function toProjectDto(row: ProjectRow) {
  return {
    id: row.id,
    name: row.name,
    notes: row.notes,
    requirementCount: row.requirementCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Coverage of one requirement for `kits` copies; a placeholder has no stock by definition. */
export function toRequirementDto(row: repo.RequirementStockRow, kits: number): RequirementDto {
  const neededQty = row.requiredQty * kits;
  const availableQty = row.partId ? row.availableQty : 0;
  const shortfall = Math.max(0, neededQty - availableQty);
  const status: CoverageStatus =
    availableQty === 0 ? "missing" : shortfall === 0 ? "enough" : "partial";
  const isPlaceholder = row.partId === null;
  return {
    id: row.id,
    partId: row.partId,
    placeholder: isPlaceholder
      ? {
          manufacturerCode: row.placeholderManufacturerCode ?? "",
          description: row.placeholderDescription ?? "",
        }
      : null,
    part: isPlaceholder
      ? null
      : { description: row.partDescription ?? "", manufacturerCode: row.partManufacturerCode },
    requiredQty: row.requiredQty,
    neededQty,
    availableQty,
    shortfall,
    status,
    matchingPartId: isPlaceholder ? row.matchingPartId : null,
  };
}

function overallStatus(requirements: RequirementDto[]): CoverageStatus {
  if (requirements.every((r) => r.status === "enough")) return "enough";
  if (requirements.every((r) => r.status === "missing")) return "missing";
  return "partial";
}

const ProjectCursor = z.tuple([z.literal("projects"), IntegerKey]);

export async function listProjects(db: Db, query: { limit: number; cursor?: string }) {
  const rows = await repo.listProjects(db, {
    afterId: decodeCursor(query.cursor, ProjectCursor)?.[1] ?? 0,
    limit: query.limit + 1,
  });
  return toPage(rows, query.limit, toProjectDto, (row) => encodeCursor(["projects", row.id]));
}

export async function getProject(db: Db, id: number, kits = 1) {
  const project = await repo.findProject(db, id);
  if (!project) throw projectNotFound(id);
  const requirements = (await repo.listRequirementsWithStock(db, id)).map((row) =>
    toRequirementDto(row, kits),
  );
  return { ...toProjectDto(project), kits, status: overallStatus(requirements), requirements };
}

export async function createProject(db: Db, input: ProjectCreate) {
  return getProject(db, await repo.insertProject(db, input));
}

export async function updateProject(db: Db, id: number, patch: ProjectUpdate) {
  if (!(await repo.updateProject(db, id, patch))) throw projectNotFound(id);
  return getProject(db, id);
}

export async function deleteProject(db: Db, id: number) {
  if (!(await repo.deleteProject(db, id))) throw projectNotFound(id);
}

export async function getRequirement(db: Db, projectId: number, id: number, kits = 1) {
  const rows = await repo.listRequirementsWithStock(db, projectId);
  const row = rows.find((r) => r.id === id);
  if (!row) throw requirementNotFound(projectId, id);
  return toRequirementDto(row, kits);
}

/**
 * Translates a constraint violation on a requirement into a client error: the part is
 * already required, or the part or project was deleted by a concurrent request.
 */
function requirementConflict(error: unknown, projectId: number, partId: string | undefined) {
  if (partId && isUniqueViolation(error)) return partAlreadyRequired(projectId, partId);
  if (isReferenceGone(error, "projects")) return projectNotFound(projectId);
  throwIfPartGone(error, "partId", partId);
  return error;
}

export async function createRequirement(db: Db, projectId: number, input: RequirementCreate) {
  if (!(await repo.findProject(db, projectId))) throw projectNotFound(projectId);
  if (input.partId) await requirePartField(db, "partId", input.partId);
  try {
    const id = await repo.insertRequirement(db, {
      projectId,
      requiredQty: input.requiredQty,
      partId: input.partId ?? null,
      placeholderManufacturerCode: input.placeholder?.manufacturerCode ?? null,
      placeholderDescription: input.placeholder?.description ?? null,
    });
    return await getRequirement(db, projectId, id);
  } catch (error) {
    throw requirementConflict(error, projectId, input.partId);
  }
}

/** The columns a PATCH changes: naming a part drops the placeholder and the other way round. */
function sourcePatch(patch: RequirementUpdate): Partial<repo.RequirementSource> {
  if (patch.partId) {
    return {
      partId: patch.partId,
      placeholderManufacturerCode: null,
      placeholderDescription: null,
    };
  }
  if (patch.placeholder) {
    return {
      partId: null,
      placeholderManufacturerCode: patch.placeholder.manufacturerCode,
      placeholderDescription: patch.placeholder.description,
    };
  }
  return {};
}

export async function updateRequirement(
  db: Db,
  projectId: number,
  id: number,
  patch: RequirementUpdate,
) {
  if (patch.partId) await requirePartField(db, "partId", patch.partId);
  try {
    await withTx(db, async (tx) => {
      const source = sourcePatch(patch);
      const changed = await repo.updateRequirement(tx, projectId, id, {
        ...source,
        requiredQty: patch.requiredQty,
      });
      if (!changed) throw requirementNotFound(projectId, id);
      // Open items bought for the placeholder are for this part now; receiving them must
      // stock it rather than catalogue a duplicate.
      if (source.partId) await linkOpenItemsOfRequirement(tx, id, source.partId);
    });
  } catch (error) {
    throw requirementConflict(error, projectId, patch.partId);
  }
  return getRequirement(db, projectId, id);
}

export async function deleteRequirement(db: Db, projectId: number, id: number) {
  if (!(await repo.deleteRequirement(db, projectId, id))) {
    throw requirementNotFound(projectId, id);
  }
}

/** Projects with a requirement on the part, by id. */
export function projectsRequiringPart(db: Db, partId: string) {
  return repo.projectsRequiringPart(db, partId);
}

/** For deleting a part: 409 naming every project that still requires it. */
export async function assertNoProjectRequiresPart(tx: Db, partId: string) {
  const projects = await repo.projectsRequiringPart(tx, partId);
  if (projects.length > 0) throw partRequiredByProjects(partId, projects);
}
