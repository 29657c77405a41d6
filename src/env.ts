import { z } from "@hono/zod-openapi";
import { normaliseHostPort } from "./platform/address-policy";

const booleanFlag = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

// S3 bucket naming rules: 3–63 characters, lowercase letters, digits, dots and hyphens.
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name");

/** A comma-separated list, blanks dropped; unset is the empty list. */
const commaList = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
  );

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    /** The worker's own HTTP port: /metrics, /health and /ready (0 picks a free one). */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9091),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    CORS_ORIGINS: commaList,
    API_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    MIGRATE_ON_START: booleanFlag.optional(),
    S3_ENDPOINT: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: booleanFlag.default(true),
    S3_BUCKET_IMAGES: bucketName.default("inventory-images"),
    S3_BUCKET_DOCS: bucketName.default("inventory-docs"),
    MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(52_428_800),
    // Refused before decoding: a small file can declare a huge image (a decompression bomb).
    THUMBNAIL_MAX_PIXELS: z.coerce.number().int().min(1).default(50_000_000),
    AMQP_URL: z
      .string()
      .regex(/^amqps?:\/\//, "must be an amqp:// or amqps:// URL")
      .optional(),
    AMQP_PREFIX: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "lowercase letters, digits, dots, dashes")
      .default("inventory"),
    AMQP_DELIVERY_LIMIT: z.coerce.number().int().min(1).max(100).default(5),
    JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
    JOB_RETRY_DELAYS_MS: z
      .string()
      .regex(/^\d+(,\d+)*$/, "comma-separated milliseconds, e.g. 2000,10000,60000")
      .default("2000,10000,60000,300000")
      .transform((value) => value.split(",").map(Number)),
    JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    JOB_RETENTION_DAYS: z.coerce.number().min(0).default(7),
    JOB_CONCURRENCY_MEDIA: z.coerce.number().int().min(1).max(64).default(2),
    JOB_CONCURRENCY_AI: z.coerce.number().int().min(1).max(64).default(4),
    SSE_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(25).default(15),
    JOB_CONCURRENCY_PLANS: z.coerce.number().int().min(1).max(64).default(1),
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .optional(),
    OPENAI_MODEL: z.string().min(1).max(200).default("gpt-4o-mini"),
    OPENAI_VISION_MODEL: z.string().min(1).max(200).optional(),
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
    OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    // host:port entries the datasheet fetcher may reach despite its SSRF rules (loopback fakes).
    FETCH_ALLOW_HOSTS: commaList.refine(
      (entries) => entries.every((entry) => normaliseHostPort(entry) !== undefined),
      {
        message: "comma-separated host:port entries, e.g. 127.0.0.1:8080,[::1]:8080",
      },
    ),
    MAX_DATASHEET_BYTES: z.coerce.number().int().min(1).default(26_214_400),
  })
  .superRefine((env, ctx) => {
    // S3 is configured by its endpoint; then the credentials are not optional.
    if (!env.S3_ENDPOINT) return;
    for (const name of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const) {
      if (!env[name])
        ctx.addIssue({ code: "custom", path: [name], message: "required when S3_ENDPOINT is set" });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** Parses an environment; empty strings count as unset so `.env` templates can leave blanks. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "(root)"}: ${issue.message}`,
  );
  throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
}

export class EnvError extends Error {}

/** The only reader of process.env: exits with a message naming every bad variable. */
export function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
