import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { BucketName, Storage } from "../../src/platform/storage";
import { openDirectoryStorage } from "../../src/platform/storage-directory";
import { createS3Client, openS3Storage, type S3StorageConfig } from "../../src/platform/storage-s3";

/**
 * TEST_S3_ENDPOINT (with TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY, TEST_S3_REGION)
 * chooses a real S3 server; without it test apps store files in a temporary directory.
 */
export const testS3 = readTestS3();

function readTestS3(): Omit<S3StorageConfig, "buckets"> | undefined {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  if (!endpoint) return undefined;
  const accessKeyId = process.env.TEST_S3_ACCESS_KEY_ID;
  const secretAccessKey = process.env.TEST_S3_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    console.error("TEST_S3_ENDPOINT needs TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY");
    process.exit(1);
  }
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    region: process.env.TEST_S3_REGION || "us-east-1",
    forcePathStyle: true,
  };
}

const runId = `${process.pid.toString(36)}-${Date.now().toString(36)}`;
let counter = 0;

export interface TestStorage {
  storage: Storage;
  /** The S3 bucket names (S3 only), e.g. to configure a server process with them. */
  buckets?: Record<BucketName, string>;
  /**
   * Uploads begun and neither finished nor aborted (temporary files, multipart uploads);
   * null where the server cannot list them (s3rver).
   */
  pendingUploads(): Promise<number | null>;
  /** Removes every object and the buckets or directory; the storage is closed too. */
  cleanup(): Promise<void>;
}

/** A storage of its own: fresh buckets on the test S3 server, or a fresh directory. */
export async function createTestStorage(
  server: Omit<S3StorageConfig, "buckets"> | undefined = testS3,
): Promise<TestStorage> {
  if (!server) {
    const root = mkdtempSync(join(tmpdir(), "inv-files-"));
    const storage = openDirectoryStorage(root);
    await storage.ensureBuckets();
    return {
      storage,
      pendingUploads: async () => readdirSync(join(root, ".incoming")).length,
      cleanup: async () => {
        await storage.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  const prefix = `inv-test-${runId}-${++counter}`;
  const buckets: Record<BucketName, string> = { images: `${prefix}-img`, docs: `${prefix}-docs` };
  const storage = openS3Storage({ ...server, buckets });
  await storage.ensureBuckets();
  return {
    storage,
    buckets,
    pendingUploads: () =>
      withClient(server, async (client) => {
        let count = 0;
        for (const Bucket of Object.values(buckets)) {
          const out = await client
            .send(new ListMultipartUploadsCommand({ Bucket }))
            .catch((error: { name?: string }) => {
              if (error.name === "NotImplemented") return null;
              throw error;
            });
          if (!out) return null;
          count += out.Uploads?.length ?? 0;
        }
        return count;
      }),
    cleanup: async () => {
      await storage.close();
      await withClient(server, (client) => dropBuckets(client, Object.values(buckets)));
    },
  };
}

/** S3 storage pointed at a loopback port nothing listens on: every call fails fast. */
export function openUnreachableStorage(): Storage {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = server.port;
  server.stop(true);
  return openS3Storage({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    accessKeyId: "unreachable",
    secretAccessKey: "unreachable",
    forcePathStyle: true,
    buckets: { images: "unreachable-img", docs: "unreachable-docs" },
  });
}

/** A plain SDK client for what the adapter does not offer (dropping buckets, listing uploads). */
async function withClient<T>(
  server: Omit<S3StorageConfig, "buckets">,
  use: (client: S3Client) => Promise<T>,
): Promise<T> {
  const client = createS3Client(server);
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

async function dropBuckets(client: S3Client, names: string[]) {
  for (const Bucket of names) {
    for await (const page of paginateListObjectsV2({ client }, { Bucket })) {
      // One by one: DeleteObjects wants a Content-MD5 that RGW and the SDK disagree on.
      for (const object of page.Contents ?? []) {
        await client.send(new DeleteObjectCommand({ Bucket, Key: object.Key }));
      }
    }
    await client.send(new DeleteBucketCommand({ Bucket }));
  }
}
