// Creates the configured buckets (S3) or directories (DATA_DIR/files) that are missing,
// then checks that storage answers: `bun run storage:init`.
import { openStorage } from "../deps";
import { loadEnv } from "../env";

const env = loadEnv();
const storage = openStorage(env);
try {
  const created = await storage.ensureBuckets();
  for (const line of created) console.log(`created ${line}`);
  await storage.ping();
  const where =
    storage.kind === "s3"
      ? `buckets ${env.S3_BUCKET_IMAGES}, ${env.S3_BUCKET_DOCS} at ${env.S3_ENDPOINT}`
      : "directories under DATA_DIR/files";
  console.log(`storage ready (${storage.kind}): ${created.length} created; ${where}`);
} catch (error) {
  const where = env.S3_ENDPOINT ?? env.DATA_DIR;
  console.error(
    `storage init failed (${where}): ${error instanceof Error ? error.message : error}`,
  );
  process.exitCode = 1;
} finally {
  await storage.close();
}
