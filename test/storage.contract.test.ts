// The storage contract: the same cases against the directory adapter and a real S3 server
// (TEST_S3_ENDPOINT, Ceph RGW in CI; otherwise s3rver started here on loopback).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  InvalidStorageKeyError,
  type Storage,
  StorageUnavailableError,
} from "../src/platform/storage";
import { openDirectoryStorage } from "../src/platform/storage-directory";
import { type LocalS3, startS3rver } from "./support/s3rver";
import {
  createTestStorage,
  openUnreachableStorage,
  type TestStorage,
  testS3,
} from "./support/storage";

interface Target {
  name: string;
  open(): Promise<TestStorage>;
  /** The same adapter with nothing behind it. */
  unreachable(): Storage;
  close(): Promise<void>;
}

const directoryTarget = (): Target => {
  const missing = mkdtempSync(join(tmpdir(), "inv-missing-"));
  rmSync(missing, { recursive: true });
  return {
    name: "directory",
    open: () => createTestStorage(undefined),
    unreachable: () => openDirectoryStorage(missing),
    close: async () => {},
  };
};

const s3Target = (): Target => {
  let local: LocalS3 | undefined;
  return {
    name: testS3 ? `S3 at TEST_S3_ENDPOINT` : "S3 (s3rver on loopback)",
    open: async () => {
      if (testS3) return createTestStorage(testS3);
      local = await startS3rver();
      return createTestStorage(local.server);
    },
    unreachable: openUnreachableStorage,
    close: async () => {
      await local?.stop();
    },
  };
};

/** Streams `data` in uneven chunks, the way an HTTP request body arrives. */
function chunked(data: Buffer, chunk = 65_537): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= data.length) return void this.push(null);
      this.push(data.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

/** A body that sends `bytesBeforeError` random bytes, then fails with `error`. */
function failingBody(bytesBeforeError: number, error: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytesBeforeError) return void this.destroy(error);
      const size = Math.min(1 << 20, bytesBeforeError - sent);
      sent += size;
      this.push(randomBytes(size));
    },
  });
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const PDF = { contentType: "application/pdf" };

for (const makeTarget of [directoryTarget, s3Target]) {
  const target = makeTarget();
  describe(`storage contract: ${target.name}`, () => {
    let t: TestStorage;
    let storage: Storage;
    beforeAll(async () => {
      t = await target.open();
      storage = t.storage;
    }, 30_000);
    afterAll(async () => {
      await t.cleanup();
      await target.close();
    }, 30_000);

    // Larger than one multipart part, so S3 goes through CreateMultipartUpload.
    const big = randomBytes(12 * 1024 * 1024 + 12_345);

    test("a multi-megabyte binary object round-trips byte for byte", async () => {
      const put = await storage.put("docs", "parts/ABCD/round-trip.bin", chunked(big), PDF);
      expect(put.size).toBe(big.length);
      expect(put.etag).toMatch(/^"[^"]+"$/);

      const head = await storage.head("docs", "parts/ABCD/round-trip.bin");
      expect(head).toEqual(put);

      const got = await storage.get("docs", "parts/ABCD/round-trip.bin");
      expect(got).not.toBeNull();
      expect(got!.size).toBe(big.length);
      expect(got!.length).toBe(big.length);
      expect(got!.etag).toBe(put.etag);
      expect(sha256(await readAll(got!.body))).toBe(sha256(big));
    }, 60_000);

    test("objects at the S3 part boundaries (5 MiB parts) round-trip", async () => {
      for (const size of [
        5 * 1024 * 1024 - 1,
        5 * 1024 * 1024,
        5 * 1024 * 1024 + 1,
        10 * 1024 * 1024,
      ]) {
        const data = randomBytes(size);
        const key = `boundary/${size}`;
        expect((await storage.put("docs", key, chunked(data, 1_000_003), PDF)).size).toBe(size);
        const got = await storage.get("docs", key);
        expect(sha256(await readAll(got!.body))).toBe(sha256(data));
        await storage.delete("docs", key);
      }
    }, 60_000);

    test("range reads answer exactly the requested bytes", async () => {
      const key = "parts/ABCD/round-trip.bin";
      const last = big.length - 1;
      // Not bytes=0-0: s3rver reads an end of 0 as "to the end" (RGW and directory are right).
      for (const range of [
        { start: 0, end: 99 },
        { start: 5_000_000, end: 9_000_123 },
        { start: last, end: last },
      ]) {
        const got = await storage.get("docs", key, range);
        expect(got).not.toBeNull();
        expect(got!.length).toBe(range.end - range.start + 1);
        expect(got!.size).toBe(big.length);
        const bytes = await readAll(got!.body);
        expect(bytes.equals(big.subarray(range.start, range.end + 1))).toBe(true);
      }
    }, 60_000);

    test("another object gets another ETag", async () => {
      const a = await storage.put("docs", "etag/a", chunked(Buffer.from("first")), PDF);
      const b = await storage.put("docs", "etag/b", chunked(Buffer.from("second")), PDF);
      expect(a.etag).not.toBe(b.etag);
      expect((await storage.head("docs", "etag/a"))!.etag).toBe(a.etag);
    });

    test("head and get of a missing object answer null", async () => {
      expect(await storage.head("docs", "nothing/here")).toBeNull();
      expect(await storage.get("docs", "nothing/here")).toBeNull();
      expect(await storage.get("docs", "nothing/here", { start: 0, end: 9 })).toBeNull();
    });

    test("an empty object round-trips", async () => {
      const put = await storage.put("docs", "empty/file", chunked(Buffer.alloc(0)), PDF);
      expect(put.size).toBe(0);
      const got = await storage.get("docs", "empty/file");
      expect(got!.length).toBe(0);
      expect((await readAll(got!.body)).length).toBe(0);
    });

    test("delete removes an object and is idempotent", async () => {
      await storage.put("docs", "gone/soon", chunked(Buffer.from("bye")), PDF);
      await storage.delete("docs", "gone/soon");
      expect(await storage.head("docs", "gone/soon")).toBeNull();
      await storage.delete("docs", "gone/soon");
      await storage.delete("docs", "never/existed");
    });

    test("list yields every object of one bucket with its size", async () => {
      const objects = { "a.png": 10, "x/b.png": 2000, "x/y/c.png": 1 };
      for (const [key, size] of Object.entries(objects)) {
        await storage.put("images", key, chunked(randomBytes(size)), { contentType: "image/png" });
      }
      const listed: Record<string, number> = {};
      for await (const entry of storage.list("images")) {
        expect(entry.bucket).toBe("images");
        expect(entry.lastModified).toBeInstanceOf(Date);
        listed[entry.key] = entry.size;
      }
      expect(listed).toEqual(objects);
    });

    test("a put whose body fails halfway rejects with that error and stores nothing", async () => {
      for (const [key, bytes] of [
        ["failed/small", 1_000_000],
        ["failed/multipart", 20 * 1024 * 1024],
      ] as const) {
        const error = new Error(`body failed after ${bytes} bytes`);
        await expect(storage.put("docs", key, failingBody(bytes, error), PDF)).rejects.toBe(error);
        expect(await storage.head("docs", key)).toBeNull();
      }
      const keys: string[] = [];
      for await (const entry of storage.list("docs")) keys.push(entry.key);
      expect(keys.filter((key) => key.startsWith("failed/"))).toEqual([]);
      // s3rver cannot list (nor abort) multipart uploads; RGW and the directory can.
      expect(await t.pendingUploads()).toBeOneOf([0, null]);
    }, 60_000);

    test("keys that could leave the bucket are refused before any I/O", async () => {
      for (const key of [
        "../escape",
        "a/../../escape",
        "/etc/passwd",
        "a\\b",
        "a\0b",
        "a//b",
        "",
      ]) {
        await expect(storage.put("docs", key, chunked(Buffer.from("x")), PDF)).rejects.toThrow(
          InvalidStorageKeyError,
        );
        await expect(storage.head("docs", key)).rejects.toThrow(InvalidStorageKeyError);
        await expect(storage.get("docs", key)).rejects.toThrow(InvalidStorageKeyError);
        await expect(storage.delete("docs", key)).rejects.toThrow(InvalidStorageKeyError);
      }
    });

    test("ping succeeds when the buckets exist", async () => {
      await storage.ping();
    });

    test("unreachable storage: ping fails with StorageUnavailableError", async () => {
      const gone = target.unreachable();
      try {
        await expect(gone.ping()).rejects.toThrow(StorageUnavailableError);
      } finally {
        await gone.close();
      }
    });
  });
}

describe("storage contract: a stopped S3 server", () => {
  test("every operation fails with StorageUnavailableError", async () => {
    const gone = openUnreachableStorage();
    try {
      await expect(gone.head("docs", "k")).rejects.toThrow(StorageUnavailableError);
      await expect(gone.get("docs", "k")).rejects.toThrow(StorageUnavailableError);
      await expect(gone.get("docs", "k", { start: 0, end: 1 })).rejects.toThrow(
        StorageUnavailableError,
      );
      await expect(gone.delete("docs", "k")).rejects.toThrow(StorageUnavailableError);
      await expect(gone.put("docs", "k", chunked(Buffer.from("hi")), PDF)).rejects.toThrow(
        StorageUnavailableError,
      );
      await expect(gone.ensureBuckets()).rejects.toThrow(StorageUnavailableError);
      await expect(
        (async () => {
          for await (const _ of gone.list("docs")) break;
        })(),
      ).rejects.toThrow(StorageUnavailableError);
    } finally {
      await gone.close();
    }
  });
});
