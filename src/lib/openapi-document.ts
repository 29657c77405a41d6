import type { OpenAPIHono } from "@hono/zod-openapi";
import { PROBLEM_CONTENT_TYPE } from "./errors";

type DocumentConfig = Parameters<OpenAPIHono["getOpenAPI31Document"]>[0];

/** Top-level fields of the generated OpenAPI 3.1 document. */
export const openApiConfig: DocumentConfig = {
  openapi: "3.1.0",
  info: {
    title: "Parts inventory API",
    version: "0.1.0",
    description:
      "Inventory for hobby electronics: parts with 4-letter ids, numbered boxes with numbered slots, a stock ledger, search, shopping list and projects. Errors are RFC 9457 problem details.",
    license: { name: "MIT", url: "https://opensource.org/license/mit" },
  },
  servers: [{ url: "/", description: "This server" }],
  security: [{ bearerAuth: [] }, {}],
  tags: [
    { name: "Health", description: "Liveness and readiness." },
    { name: "Types", description: "Part categories." },
    { name: "Boxes", description: "Numbered boxes and their slots." },
    { name: "Locations", description: "Single slots, addressed as `box-slot` (e.g. `7-3`)." },
    { name: "Parts", description: "The catalogue: parts with 4-letter ids and where they are." },
    { name: "Stock", description: "Quantity changes and the ledger that records each one." },
    { name: "Search", description: "One search box over the catalogue." },
    { name: "Shopping List", description: "Parts to buy, and receiving them into stock." },
    { name: "Projects", description: "Kits: required parts, stock coverage, shortages, builds." },
    {
      name: "Documents",
      description: "Datasheets, photos and links of a part: uploads, downloads, covers.",
    },
  ],
};

type OpenApiDocument = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;

/** The largest JSON request body the API reads. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

const problemContent = {
  [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } },
};

const tooLarge = {
  description: `The JSON body is larger than ${JSON_BODY_LIMIT_BYTES} bytes.`,
  content: problemContent,
};

const unsupportedMediaType = {
  description: "The body is not `application/json` (send `Content-Type: application/json`).",
  content: problemContent,
};

/**
 * The OpenAPI document of the app. Every operation taking a JSON body can answer 415 for
 * another content type (Hono's validator refuses it before any handler) and 413 for a
 * body over the limit, so those responses are documented here once, not on each route.
 */
export function buildOpenApiDocument(app: OpenAPIHono): OpenApiDocument {
  const document = app.getOpenAPI31Document(openApiConfig);
  for (const path of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(path)) {
      if (!operation || typeof operation !== "object" || !("responses" in operation)) continue;
      const body = operation.requestBody;
      const takesJson = body && "content" in body && "application/json" in body.content;
      if (!takesJson || !operation.responses) continue;
      operation.responses["413"] ??= tooLarge;
      operation.responses["415"] ??= unsupportedMediaType;
    }
  }
  return document;
}
