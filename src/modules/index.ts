import type { Deps } from "../deps";
import { expireIdempotencyKeysTask } from "../lib/idempotency";
import type { JobKind, MaintenanceTask } from "../lib/jobs";
import type { Router } from "../lib/openapi";
import { createAiRouter } from "./ai/ai.handlers";
import { aiJobKinds } from "./ai/ai.jobs";
import { createBoxesRouter } from "./boxes/boxes.handlers";
import { expireDraftsTask } from "./documents/documents.drafts";
import { createDocumentsRouter } from "./documents/documents.handlers";
import { documentJobKinds } from "./documents/documents.jobs";
import { sweepStorageTask } from "./documents/documents.sweep";
import { createJobsRouter } from "./jobs/jobs.handlers";
import { createLabelsRouter } from "./labels/labels.handlers";
import { createLocationsRouter } from "./locations/locations.handlers";
import { createPartsRouter } from "./parts/parts.handlers";
import { createProjectsRouter } from "./projects/projects.handlers";
import { createReorgRouter } from "./reorg/reorg.handlers";
import { reorgPlanJob } from "./reorg/reorg.jobs";
import { deleteExpiredPlans } from "./reorg/reorg.maintenance";
import { createSearchRouter } from "./search/search.handlers";
import { createShoppingRouter } from "./shopping/shopping.handlers";
import { createStockRouter } from "./stock/stock.handlers";
import { createTypesRouter } from "./types/types.handlers";

/** Every feature's router, mounted under /api/v1. */
export function createApiRouters(deps: Deps): Router[] {
  return [
    createTypesRouter(deps),
    createBoxesRouter(deps),
    createLocationsRouter(deps),
    createPartsRouter(deps),
    createStockRouter(deps),
    createLabelsRouter(deps),
    createShoppingRouter(deps),
    createProjectsRouter(deps),
    createDocumentsRouter(deps),
    createSearchRouter(deps),
    createJobsRouter(deps),
    createReorgRouter(deps),
    createAiRouter(deps),
  ];
}

/** Every kind of background job; the worker refuses to start on a duplicate name. */
export const jobKinds: JobKind[] = [...documentJobKinds, reorgPlanJob, ...aiJobKinds];

/** Periodic upkeep, run by the worker (in the API process when embedded). */
export const maintenanceTasks: MaintenanceTask[] = [
  sweepStorageTask,
  deleteExpiredPlans,
  expireIdempotencyKeysTask,
  expireDraftsTask,
];
