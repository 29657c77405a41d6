import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

/** The parts of an OpenAPI 3.1 document this checker reads. */
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export interface ObservedResponse {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

const DOC_ID = "openapi.json";
type Json = Record<string, unknown>;

/**
 * Makes every object schema refuse properties it does not declare, so a response field
 * missing from the document is a mismatch too. `unevaluatedProperties` sees through
 * `allOf` (zod's `.extend()`), so it goes on the composition, not on its parts, and
 * components that serve as an `allOf` base are left open.
 */
function closeObjects(document: Json): Json {
  const copy = structuredClone(document) as Json;
  const bases = new Set(
    [
      ...JSON.stringify(document).matchAll(
        /"allOf":\[\{"\$ref":"#\/components\/schemas\/([^"]+)"/g,
      ),
    ].map((match) => match[1]),
  );
  const visit = (node: unknown, inAllOf: boolean) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, inAllOf);
      return;
    }
    if (!node || typeof node !== "object") return;
    const schema = node as Json;
    if (Array.isArray(schema.allOf)) {
      schema.unevaluatedProperties ??= false;
      for (const part of schema.allOf) visit(part, true);
    } else if (schema.properties && !inAllOf && schema.additionalProperties === undefined) {
      schema.unevaluatedProperties ??= false;
    }
    for (const [key, value] of Object.entries(schema)) {
      if (key !== "allOf") visit(value, false);
    }
  };
  const schemas = (copy.components as { schemas?: Json } | undefined)?.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) visit(schema, bases.has(name));
  visit(copy.paths, false);
  return copy;
}

/**
 * Checks actual responses against an OpenAPI 3.1 document: the route exists, the status
 * is documented for it, the content type is one it declares, and the body validates
 * against the declared schema (JSON Schema 2020-12, with undeclared properties refused).
 */
export function createConformanceChecker(document: OpenApiDocument) {
  const closed = closeObjects(document as unknown as Json) as unknown as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(closed, DOC_ID);
  const validators = new Map<string, ValidateFunction>();

  const templates = Object.keys(closed.paths)
    .map((template) => ({
      template,
      params: (template.match(/\{/g) ?? []).length,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    }))
    .sort((a, b) => a.params - b.params);

  function findOperation(method: string, path: string) {
    const pathname = path.split("?")[0]!;
    for (const { template, pattern } of templates) {
      const operation = closed.paths[template]?.[method.toLowerCase()];
      if (pattern.test(pathname) && operation) return { template, operation };
    }
    return undefined;
  }

  function validatorFor(key: string, schema: unknown) {
    let validate = validators.get(key);
    if (!validate) {
      const anchored = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`),
      );
      validate = ajv.compile(anchored);
      validators.set(key, validate);
    }
    return validate;
  }

  /** Problems with one response, empty when it conforms; and the operation it hit. */
  function check(res: ObservedResponse): { operationId?: string; problems: string[] } {
    const label = `${res.method} ${res.path} → ${res.status}`;
    const found = findOperation(res.method, res.path);
    if (!found) return { problems: [`${label}: no documented operation`] };
    const { operation, template } = found;
    const operationId = operation.operationId;
    const documented = operation.responses[String(res.status)] ?? operation.responses.default;
    if (!documented) {
      const listed = Object.keys(operation.responses).join(", ");
      return { operationId, problems: [`${label}: status not documented (${listed})`] };
    }
    const media = res.contentType?.split(";")[0]?.trim();
    if (!documented.content) {
      return {
        operationId,
        problems: media ? [`${label}: body of ${media} where none is documented`] : [],
      };
    }
    if (!media || !documented.content[media]) {
      const listed = Object.keys(documented.content).join(", ");
      return { operationId, problems: [`${label}: content type ${media} not in ${listed}`] };
    }
    const schema = documented.content[media]?.schema;
    if (!schema || !media.includes("json")) return { operationId, problems: [] };
    const validate = validatorFor(`${template} ${res.method} ${res.status} ${media}`, schema);
    if (validate(res.body)) return { operationId, problems: [] };
    const errors = (validate.errors ?? []).map(
      (error) => `${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`,
    );
    return { operationId, problems: [`${label}: body does not match: ${errors.join("; ")}`] };
  }

  return { check };
}
