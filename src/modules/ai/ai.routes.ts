import { createRoute } from "@hono/zod-openapi";
import { acceptedResponse, errorResponses } from "../../lib/openapi";
import { optionalJsonBody } from "../../lib/optional-body";
import { PartIdParams } from "../parts/parts.schemas";
import {
  AnalysisJobSchema,
  AnalyzeRequestSchema,
  DiscoveryJobSchema,
  PhotoIntakeJobSchema,
} from "./ai.schemas";

const tags = ["AI"];
const notConfigured = " Without OPENAI_API_KEY on the server: 503 at once, and no job is created.";

export const analyzePartRoute = createRoute({
  method: "post",
  path: "/parts/{partId}/ai/analyze",
  operationId: "analyzePart",
  tags,
  summary: "Suggest tags, a type and attributes for a part (AI job)",
  description: `Queues an \`ai.analyze\` job; its \`result\` is a PartAnalysisResult. The type is chosen from your types (\`typeId\`), or named with \`typeId: null\` and low confidence when none fits. Everything the model says is checked like user input (tag rules, lengths, ranges) before it is shown or stored. With \`apply: true\` tags are merged and only empty fields are filled, in one transaction.${notConfigured}`,
  request: {
    params: PartIdParams,
    body: optionalJsonBody(AnalyzeRequestSchema, "Optional; by default only suggests."),
  },
  responses: {
    202: acceptedResponse(AnalysisJobSchema, "The queued `ai.analyze` job."),
    ...errorResponses(400, 401, 404, 503),
  },
});

export const discoverDatasheetRoute = createRoute({
  method: "post",
  path: "/parts/{partId}/datasheets/discover",
  operationId: "discoverDatasheet",
  tags,
  summary: "Find and store a part's datasheet PDF (AI job)",
  description: `Queues an \`ai.discover_datasheet\` job; its \`result\` is a DatasheetDiscoveryResult. The model proposes up to five URLs; each is fetched in order through the SSRF-safe fetcher (http(s) only, every hop's address checked, at most 3 redirects, size cap MAX_DATASHEET_BYTES, timeouts, the body must start with \`%PDF\`; an HTML page is \`not_pdf\`), and the first real PDF is stored as a \`pdf\` document of the part with \`sourceUrl\`.${notConfigured}`,
  request: { params: PartIdParams },
  responses: {
    202: acceptedResponse(DiscoveryJobSchema, "The queued `ai.discover_datasheet` job."),
    ...errorResponses(400, 401, 404, 503),
  },
});

export const photoIntakeRoute = createRoute({
  method: "post",
  path: "/ai/photo-intake",
  operationId: "startPhotoIntake",
  tags,
  summary: "Start a part from a photo of it or its bag (AI job)",
  description: `\`multipart/form-data\` with one \`photo\` (JPEG, PNG, WebP or GIF, at most MAX_UPLOAD_BYTES). The photo is stored as a draft document (thumbnailed like any image) and an \`ai.photo_intake\` job is queued with it: the photo goes to the vision model downscaled (longest side 1,600 px, at most ~2 MiB), which reads part number, manufacturer, description, type, tags and datasheet URLs; then the datasheet is looked for as in discoverDatasheet and stored as a draft too. The \`result\` is a PhotoIntakeResult: create the part with \`POST /parts\` and \`attachDocumentIds: result.documentIds\`. Drafts not claimed within 24 h are removed. Progress events name the step.${notConfigured}`,
  request: {
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: {
            type: "object" as const,
            required: ["photo"],
            properties: {
              photo: {
                type: "string" as const,
                format: "binary",
                description: "The photo, recognised by its content.",
              },
            },
          },
        },
      },
    },
  },
  responses: {
    202: acceptedResponse(PhotoIntakeJobSchema, "The queued `ai.photo_intake` job."),
    ...errorResponses(400, 401, 413, 415, 503),
  },
});
