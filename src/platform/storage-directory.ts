import { randomUUID } from "node:crypto";
import { createWriteStream, type Stats } from "node:fs";
import { mkdir, open, opendir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  assertStorageKey,
  type BucketName,
  type ObjectInfo,
  type Storage,
  StorageUnavailableError,
  type StoredObjectEntry,
} from "./storage";

const BUCKETS: BucketName[] = ["images", "docs"];
/** Uploads in progress; beside the buckets so a rename into place stays on one filesystem. */
const INCOMING = ".incoming";

/**
 * Objects as files under `root/<bucket>/<key>`. A `put` streams into `root/.incoming` and
 * renames into place once the body ended, so readers never see a partial file and a
 * failed upload leaves nothing behind.
 */
export function openDirectoryStorage(root: string): Storage {
  const bucketDir = (bucket: BucketName) => join(root, bucket);
  const objectPath = (bucket: BucketName, key: string) => {
    assertStorageKey(key);
    return join(bucketDir(bucket), ...key.split("/"));
  };

  return {
    kind: "directory",

    async put(bucket, key, body) {
      const target = objectPath(bucket, key);
      const incoming = join(root, INCOMING, randomUUID());
      await mkdir(dirname(incoming), { recursive: true });
      try {
        await pipeline(body, createWriteStream(incoming, { flags: "wx" }));
        await mkdir(dirname(target), { recursive: true });
        await rename(incoming, target);
      } catch (error) {
        await rm(incoming, { force: true });
        throw error;
      }
      return infoOf(await stat(target));
    },

    async head(bucket, key) {
      const path = objectPath(bucket, key);
      try {
        const stats = await stat(path);
        return stats.isFile() ? infoOf(stats) : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async get(bucket, key, range) {
      const path = objectPath(bucket, key);
      // Stat and read through one descriptor, so metadata and bytes belong to one file even
      // if a put replaces the object meanwhile.
      const handle = await open(path, "r").catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (!handle) return null;
      const stats = await handle.stat().catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
      if (!stats.isFile()) {
        await handle.close();
        return null;
      }
      const start = range?.start ?? 0;
      const end = range ? Math.min(range.end, stats.size - 1) : stats.size - 1;
      const length = Math.max(0, end - start + 1);
      if (length === 0) await handle.close();
      const body = length === 0 ? Readable.from([]) : handle.createReadStream({ start, end });
      return { ...infoOf(stats), body, length };
    },

    async delete(bucket, key) {
      await rm(objectPath(bucket, key), { force: true });
    },

    async *list(bucket) {
      const base = bucketDir(bucket);
      for await (const path of walk(base)) {
        const stats = await stat(path).catch(() => null);
        if (!stats?.isFile()) continue;
        yield {
          bucket,
          key: relative(base, path).split(sep).join("/"),
          size: stats.size,
          lastModified: stats.mtime,
        } satisfies StoredObjectEntry;
      }
    },

    async ensureBuckets() {
      const created: string[] = [];
      for (const dir of [...BUCKETS.map(bucketDir), join(root, INCOMING)]) {
        const first = await mkdir(dir, { recursive: true });
        if (first !== undefined) created.push(`directory ${dir}`);
      }
      return created;
    },

    async ping() {
      for (const bucket of BUCKETS) {
        const stats = await stat(bucketDir(bucket)).catch((error: unknown) => {
          throw new StorageUnavailableError(`storage directory ${bucketDir(bucket)} is missing`, {
            cause: error,
          });
        });
        if (!stats.isDirectory()) {
          throw new StorageUnavailableError(`${bucketDir(bucket)} is not a directory`);
        }
      }
    },

    async close() {},
  };
}

/**
 * Strong validator from size and modification time in nanoseconds: a rename-into-place
 * always produces a new file, so a changed object has a changed tag.
 */
function infoOf(stats: Stats): ObjectInfo {
  const mtimeNs = BigInt(Math.round(stats.mtimeMs * 1e6));
  return {
    size: stats.size,
    etag: `"${stats.size.toString(16)}-${mtimeNs.toString(16)}-${stats.ino.toString(16)}"`,
    lastModified: stats.mtime,
  };
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries: Awaited<ReturnType<typeof opendir>>;
  try {
    entries = await opendir(dir);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for await (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
