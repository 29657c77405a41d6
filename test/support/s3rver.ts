import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import type { S3StorageConfig } from "../../src/platform/storage-s3";

export interface LocalS3 {
  server: Omit<S3StorageConfig, "buckets">;
  stop(): Promise<void>;
}

/** s3rver, a small S3-compatible server, in this process on a random loopback port. */
export async function startS3rver(): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), "inv-s3rver-"));
  const s3rver = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
  });
  const { port } = await s3rver.run();
  return {
    server: {
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      accessKeyId: "S3RVER",
      secretAccessKey: "S3RVER",
      forcePathStyle: true,
    },
    stop: async () => {
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
