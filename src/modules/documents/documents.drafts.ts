import { badRequest, conflict } from "../../lib/errors";
import type { MaintenanceTask } from "../../lib/jobs";
import type { Db } from "../../platform/db";
import { objectsOfDocument, removeStoredObjects, type StorageDeps } from "./documents.objects";
import * as repo from "./documents.repo";

/** How long a photo-intake draft waits for `POST /parts` to claim it. */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

export const draftExpiry = (from = new Date()) => new Date(from.getTime() + DRAFT_TTL_MS);

/**
 * Attaches draft documents to a new part inside its create transaction: all of them or the
 * create fails. An id that is no draft (unknown or expired) is 400 naming its position; one
 * another part already claimed is 409. The first claimed image becomes the cover when the
 * part has none.
 */
export async function claimDraftDocuments(tx: Db, partId: string, ids: string[]) {
  if (ids.length === 0) return;
  const claimed = await repo.claimDrafts(tx, partId, ids);
  if (claimed.length < ids.length) {
    const got = new Set(claimed.map((row) => row.id));
    const missing = ids.filter((id) => !got.has(id));
    const owners = new Map(
      (await repo.findDocumentOwners(tx, missing)).map((row) => [row.id, row.partId]),
    );
    const taken = missing.filter((id) => owners.get(id) && owners.get(id) !== partId);
    if (taken.length > 0) {
      throw conflict(
        "documents.already_attached",
        `Documents ${taken.map((id) => `${id} (part ${owners.get(id)})`).join(", ")} already belong to a part.`,
      );
    }
    throw badRequest(
      "documents.not_a_draft",
      `Documents ${missing.join(", ")} are not drafts waiting to be attached (unknown or expired).`,
      missing.map((id) => ({
        path: `attachDocumentIds.${ids.indexOf(id)}`,
        message: "Not a draft document (unknown, or expired after 24 h).",
      })),
    );
  }
  const image = ids.find((id) => claimed.some((row) => row.id === id && row.kind === "image"));
  if (image) await repo.setCoverIfNone(tx, partId, image);
}

/** Removes drafts nobody claimed in time: rows first, then their files and thumbnails. */
export async function removeExpiredDrafts(deps: StorageDeps, now = new Date()) {
  let removed = 0;
  for (;;) {
    const rows = await repo.deleteExpiredDrafts(deps.db, now, 100);
    await removeStoredObjects(deps, rows.flatMap(objectsOfDocument));
    removed += rows.length;
    if (rows.length < 100) return removed;
  }
}

export const expireDraftsTask: MaintenanceTask = {
  name: "documents.expire-drafts",
  everyMs: 10 * 60 * 1000,
  run: async (deps) => {
    await removeExpiredDrafts(deps);
  },
};
