// The one schema index drizzle-kit reads; every feature's tables are re-exported here.

export { idempotencyKeysTable } from "./lib/idempotency.table";
export { boxesTable, locationsTable } from "./modules/boxes/boxes.table";
export { documentsTable } from "./modules/documents/documents.table";
export { jobsTable, workersTable } from "./modules/jobs/jobs.table";
export { partsTable } from "./modules/parts/parts.table";
export { projectsTable, requirementsTable } from "./modules/projects/projects.table";
export { reorgMovesTable, reorgPlansTable } from "./modules/reorg/reorg.table";
export { searchWordsTable } from "./modules/search/search.table";
export { shoppingItemsTable } from "./modules/shopping/shopping.table";
export { ledgerTable } from "./modules/stock/ledger.table";
export { typesTable } from "./modules/types/types.table";
