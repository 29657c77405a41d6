import type { MaintenanceTask } from "../../lib/jobs";
import type { BucketName, StoredObjectEntry } from "../../platform/storage";
import { objectsOfDocument, type StorageDeps, thumbnailOwner } from "./documents.objects";
import * as repo from "./documents.repo";
import { storageBuckets } from "./documents.table";

/** Objects younger than this may belong to an upload whose row is not written yet. */
export const DEFAULT_SWEEP_GRACE_MS = 60 * 60 * 1000;
const BATCH = 500;

export interface SweepReport {
  /**
   * Objects without a document row (thumbnails: without their image document), older than
   * the grace period: deleted (or, dry, would be).
   */
  orphans: { bucket: BucketName; key: string; size: number; lastModified: string }[];
  /**
   * Document rows whose object, or thumbnail once recorded as made, is missing from
   * storage: reported, never changed.
   */
  missing: { documentId: string; partId: string | null; bucket: BucketName; key: string }[];
  /** Objects seen in storage. */
  scanned: number;
}

/**
 * Reconciles storage with the documents table. Uploads write the object before the row
 * and deletes remove the row before the object (a document's thumbnails with it), so a
 * crash leaves objects without rows: those older than `graceMs` are deleted (in-flight
 * uploads are younger). Rows whose object is gone cannot be repaired here and are only reported; rows created after the listing
 * began are not judged, their objects may not have been listed.
 */
export async function sweepStorage(
  deps: StorageDeps,
  options: { graceMs?: number; dryRun?: boolean; now?: Date } = {},
): Promise<SweepReport> {
  const started = options.now ?? new Date();
  const cutoff = started.getTime() - (options.graceMs ?? DEFAULT_SWEEP_GRACE_MS);
  const report: SweepReport = { orphans: [], missing: [], scanned: 0 };
  const listed = new Map<BucketName, Set<string>>();

  for (const bucket of storageBuckets) {
    const keys = new Set<string>();
    listed.set(bucket, keys);
    let batch: StoredObjectEntry[] = [];
    const flush = async () => {
      const batchKeys = batch.map((entry) => entry.key);
      const known = await repo.findKnownKeys(deps.db, bucket, batchKeys);
      // A thumbnail is known while its image document exists (made or still being made).
      const owners = await repo.findImageDocumentIds(
        deps.db,
        bucket === "images" ? batchKeys.flatMap((key) => thumbnailOwner(key) ?? []) : [],
      );
      for (const entry of batch) {
        const owner = bucket === "images" ? thumbnailOwner(entry.key) : undefined;
        if (owner ? owners.has(owner) : known.has(entry.key)) continue;
        if (entry.lastModified.getTime() > cutoff) continue;
        report.orphans.push({
          bucket,
          key: entry.key,
          size: entry.size,
          lastModified: entry.lastModified.toISOString(),
        });
        if (!options.dryRun) await deps.storage.delete(bucket, entry.key);
      }
      batch = [];
    };
    for await (const entry of deps.storage.list(bucket)) {
      report.scanned++;
      keys.add(entry.key);
      batch.push(entry);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }

  let afterId = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await repo.listStoredDocuments(deps.db, {
      before: started,
      afterId,
      limit: BATCH,
    });
    for (const row of rows) {
      // A document's thumbnails are expected once they were recorded as made.
      const expected = objectsOfDocument({ ...row, storageKey: row.key }).filter(
        (object) => row.thumbnailsReadyAt || !thumbnailOwner(object.key),
      );
      for (const object of expected) {
        if (listed.get(object.bucket)?.has(object.key)) continue;
        report.missing.push({ documentId: row.id, partId: row.partId, ...object });
      }
    }
    if (rows.length < BATCH) break;
    afterId = rows[rows.length - 1]!.id;
  }
  return report;
}

/** The sweep on the maintenance schedule: hourly, with the default grace period. */
export const sweepStorageTask: MaintenanceTask = {
  name: "documents.sweep-storage",
  everyMs: 60 * 60 * 1000,
  async run(deps) {
    const report = await sweepStorage(deps);
    if (report.orphans.length > 0 || report.missing.length > 0) {
      deps.logger.warn(
        { deleted: report.orphans.length, missing: report.missing, scanned: report.scanned },
        "storage sweep: orphaned objects deleted, documents with missing objects listed",
      );
    }
  },
};
