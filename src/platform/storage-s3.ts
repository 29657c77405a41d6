import type { Readable } from "node:stream";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { uploadStream } from "./s3-upload";
import {
  assertStorageKey,
  type BucketName,
  type ObjectInfo,
  type Storage,
  StorageUnavailableError,
} from "./storage";

export interface S3StorageConfig {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  buckets: Record<BucketName, string>;
}

/**
 * Parts of a multipart upload: S3's minimum size. Through the API, four in flight uploaded
 * about twice as fast to RGW as two (the request body waits while every part is sending).
 */
const PART_SIZE = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;
const COLLECT_EVERY_BYTES = 4 * PART_SIZE;

/**
 * S3 (Ceph RGW in production); uploads stream through reused part buffers (s3-upload.ts).
 * A stopped or unreachable server fails a request within about a second (short connect
 * timeout, one retry) as StorageUnavailableError, so the API answers 503 instead of hanging.
 */
export function openS3Storage(config: S3StorageConfig): Storage {
  const client = createS3Client(config, { connectionTimeout: 1000, socketTimeout: 30_000 });
  const bucketOf = (bucket: BucketName) => config.buckets[bucket];

  async function head(bucket: BucketName, key: string): Promise<ObjectInfo | null> {
    assertStorageKey(key);
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucketOf(bucket), Key: key }));
      return {
        size: out.ContentLength ?? 0,
        etag: out.ETag ?? "",
        lastModified: out.LastModified ?? new Date(0),
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw toStorageError(error);
    }
  }

  async function remove(bucket: BucketName, key: string) {
    assertStorageKey(key);
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucketOf(bucket), Key: key }));
    } catch (error) {
      if (!isNotFound(error)) throw toStorageError(error);
    }
  }

  return {
    kind: "s3",

    async put(bucket, key, body: Readable, options) {
      assertStorageKey(key);
      try {
        await uploadStream(
          client,
          { Bucket: bucketOf(bucket), Key: key, ContentType: options.contentType },
          body,
          {
            partSize: PART_SIZE,
            partsInFlight: PARTS_IN_FLIGHT,
            collectEveryBytes: COLLECT_EVERY_BYTES,
          },
        );
      } catch (error) {
        // A single-part put is only sent after the body ended and a failed multipart
        // upload is aborted; deleting anyway covers a failure after the object was written.
        await remove(bucket, key).catch(() => {});
        // The caller's body failing (over the size limit, client gone) is the error to
        // report, even when aborting the multipart upload failed on top of it.
        if (body.errored) throw body.errored;
        body.destroy();
        throw toStorageError(error);
      }
      // RGW answers CompleteMultipartUpload with an empty ETag; HeadObject has it, with
      // the size and date.
      const info = await head(bucket, key);
      if (!info) throw new StorageUnavailableError(`object ${key} vanished right after upload`);
      return info;
    },

    head,

    async get(bucket, key, range) {
      assertStorageKey(key);
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket: bucketOf(bucket),
            Key: key,
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          }),
        );
        const length = out.ContentLength ?? 0;
        const total = range ? totalFromContentRange(out.ContentRange) : undefined;
        return {
          size: total ?? length,
          etag: out.ETag ?? "",
          lastModified: out.LastModified ?? new Date(0),
          body: out.Body as Readable,
          length,
        };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw toStorageError(error);
      }
    },

    delete: remove,

    async *list(bucket) {
      try {
        for await (const page of paginateListObjectsV2({ client }, { Bucket: bucketOf(bucket) })) {
          for (const object of page.Contents ?? []) {
            if (!object.Key) continue;
            yield {
              bucket,
              key: object.Key,
              size: object.Size ?? 0,
              lastModified: object.LastModified ?? new Date(0),
            };
          }
        }
      } catch (error) {
        throw toStorageError(error);
      }
    },

    async ensureBuckets() {
      const created: string[] = [];
      for (const name of Object.values(config.buckets)) {
        try {
          await client.send(new HeadBucketCommand({ Bucket: name }));
          continue;
        } catch (error) {
          if (!isNotFound(error)) throw toStorageError(error);
        }
        try {
          await client.send(new CreateBucketCommand({ Bucket: name }));
          created.push(`bucket ${name}`);
        } catch (error) {
          if ((error as { name?: string }).name !== "BucketAlreadyOwnedByYou") {
            throw toStorageError(error);
          }
        }
      }
      return created;
    },

    async ping() {
      await Promise.all(
        Object.values(config.buckets).map(async (name) => {
          try {
            await client.send(new HeadBucketCommand({ Bucket: name }));
          } catch (error) {
            const mapped = toStorageError(error);
            if (mapped instanceof StorageUnavailableError) throw mapped;
            throw new StorageUnavailableError(`bucket ${name}: ${mapped.message}`, {
              cause: error,
            });
          }
        }),
      );
    },

    async close() {
      client.destroy();
    },
  };
}

/**
 * An SDK client configured the way RGW and s3rver need it. The adapter adds a short
 * connect timeout; scripts and tests may use the defaults.
 */
export function createS3Client(
  config: Omit<S3StorageConfig, "buckets">,
  timeouts: { connectionTimeout?: number; socketTimeout?: number } = {},
): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    forcePathStyle: config.forcePathStyle,
    // With the SDK defaults RGW answers a streamed PutObject with 411 and s3rver stores
    // the checksum chunk framing inside the object.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // One retry: a stopped server fails a request in well under a second, not after the
    // SDK's default backoff.
    maxAttempts: 2,
    requestHandler: timeouts,
  });
}

function totalFromContentRange(header: string | undefined): number | undefined {
  const total = header?.match(/\/(\d+)$/)?.[1];
  return total === undefined ? undefined : Number(total);
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.name === "NotFound" ||
    e.name === "NoSuchKey" ||
    e.name === "NoSuchBucket" ||
    e.$metadata?.httpStatusCode === 404
  );
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "ConnectionRefused",
  "ConnectionClosed",
]);

/**
 * Connection failures, timeouts and 5xx answers mean S3 is unavailable (the API answers
 * 503); anything else (access denied, a bad request) is a bug or misconfiguration and
 * stays as it is.
 */
export function toStorageError(error: unknown): Error {
  if (error instanceof StorageUnavailableError) return error;
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode;
  const unreachable =
    UNREACHABLE_CODES.has(e.code ?? "") ||
    UNREACHABLE_CODES.has(e.cause?.code ?? "") ||
    e.name === "TimeoutError" ||
    e.name === "RequestTimeout" ||
    (error instanceof S3ServiceException && status !== undefined && status >= 500);
  if (unreachable) {
    return new StorageUnavailableError(`object storage unavailable: ${e.code ?? e.name}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
