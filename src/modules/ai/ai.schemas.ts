import { z } from "@hono/zod-openapi";
import { JobSchema } from "../jobs/jobs.schemas";
import { mountingTypes } from "./ai.model";

export const AnalyzeRequestSchema = z
  .object({
    apply: z.boolean().default(false).openapi({
      description:
        "`false` (default): only suggest. `true`: merge the tags and fill empty fields (the type only when the part has none and the suggested type exists); `applied` says what changed.",
    }),
  })
  .openapi("AnalyzePartRequest");

const nullableText = (example: string) => z.string().nullable().openapi({ example });

export const AnalysisResultSchema = z
  .object({
    suggestions: z.object({
      tags: z.array(z.string()).openapi({ example: ["relay", "5V", "SPST"] }),
      type: z.object({
        typeId: z.number().int().nullable().openapi({
          description: "One of your types; null when the model named a type you do not have.",
        }),
        name: z.string().nullable().openapi({ example: "Relay" }),
        confidence: z.number().min(0).max(1).openapi({
          description: "0..1; at most 0.3 for a type that is not one of yours.",
          example: 0.9,
        }),
      }),
      attributes: z.object({
        package: nullableText("THT"),
        mountingType: z.enum(mountingTypes).nullable(),
        pinCount: z.number().int().nullable().openapi({ example: 4 }),
        voltageRating: nullableText("5 V"),
        manufacturer: nullableText("OMRON"),
      }),
    }),
    applied: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description:
          "With `apply: true`, exactly the fields that changed and their new values (`tags`: the merged list); `{}` when nothing did. Null without `apply`.",
        example: { tags: ["5V", "relay"], manufacturer: "OMRON" },
      }),
  })
  .openapi("PartAnalysisResult", { description: "The `result` of an `ai.analyze` job." });

export const fetchOutcomes = [
  "stored",
  "not_found",
  "not_pdf",
  "too_large",
  "refused",
  "timeout",
  "error",
] as const;

export const DatasheetAttemptSchema = z
  .object({
    url: z.string(),
    outcome: z.enum(fetchOutcomes).openapi({
      description:
        "`refused`: the address is not allowed (private, loopback, metadata, a non-http(s) scheme, too many redirects); `not_pdf`: the answer did not start with `%PDF` (e.g. a bot-check HTML page).",
    }),
    detail: z.string(),
  })
  .openapi("DatasheetAttempt");

export const DiscoveryResultSchema = z
  .object({
    documentId: z.string().nullable().openapi({
      format: "uuid",
      description: "The stored `pdf` document (with `sourceUrl`), or null when no URL gave one.",
    }),
    tried: z.array(DatasheetAttemptSchema).openapi({ description: "In the order tried." }),
  })
  .openapi("DatasheetDiscoveryResult", {
    description: "The `result` of an `ai.discover_datasheet` job.",
  });

export const PartDraftSchema = z
  .object({
    description: z.string().nullable().openapi({ example: "Relay 5 V SPST 5 A" }),
    manufacturerCode: nullableText("G5Q-1A4"),
    manufacturer: nullableText("OMRON"),
    typeId: z.number().int().nullable(),
    typeName: nullableText("Relay"),
    tags: z.array(z.string()),
  })
  .openapi("PartDraft", {
    description: "Part fields read from the photo, for `POST /parts` after review.",
  });

export const PhotoIntakeResultSchema = z
  .object({
    draft: PartDraftSchema,
    documentIds: z.array(z.string()).openapi({
      description:
        "Draft documents: the photo, then the datasheet PDF when one was found. Pass them as `attachDocumentIds` to `POST /parts` within 24 h.",
    }),
    datasheet: DiscoveryResultSchema,
  })
  .openapi("PhotoIntakeResult", { description: "The `result` of an `ai.photo_intake` job." });

export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;
export type DiscoveryResult = z.infer<typeof DiscoveryResultSchema>;
export type DatasheetAttempt = z.infer<typeof DatasheetAttemptSchema>;
export type PhotoIntakeResult = z.infer<typeof PhotoIntakeResultSchema>;

/** The Job as a 202 answers it, with the kind's result type (null until it succeeded). */
const jobOf = (result: z.ZodType, name: string, kind: string) =>
  JobSchema.extend({
    result: z.union([result, z.null()]).openapi({
      description: `The job's answer once it succeeded; null before. Poll \`GET /jobs/{jobId}\`.`,
    }),
  }).openapi(name, { description: `A \`${kind}\` job.` });

export const AnalysisJobSchema = jobOf(AnalysisResultSchema, "PartAnalysisJob", "ai.analyze");
export const DiscoveryJobSchema = jobOf(
  DiscoveryResultSchema,
  "DatasheetDiscoveryJob",
  "ai.discover_datasheet",
);
export const PhotoIntakeJobSchema = jobOf(
  PhotoIntakeResultSchema,
  "PhotoIntakeJob",
  "ai.photo_intake",
);
