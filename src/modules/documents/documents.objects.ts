import type { Deps } from "../../deps";
import type { StoredObject } from "./documents.repo";

export type StorageDeps = Pick<Deps, "db" | "storage" | "logger">;

/** Removes stored objects after their rows are gone; a failure leaves work for the sweep. */
export async function removeStoredObjects(deps: StorageDeps, objects: StoredObject[]) {
  for (const object of objects) {
    try {
      await deps.storage.delete(object.bucket, object.key);
    } catch (error) {
      deps.logger.warn(
        { err: error, bucket: object.bucket, key: object.key },
        "could not delete a stored object; storage:sweep will remove it",
      );
    }
  }
}
