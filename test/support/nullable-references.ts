import type { z } from "@hono/zod-openapi";

type Json = Record<string, unknown>;

/** What a route definition in the OpenAPI registry holds, as far as this check reads it. */
export interface RouteResponses {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  getter?: () => z.ZodType;
}

const def = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch"]);

/** The schema under optional/nullable/default wrappers, pipes (their output) and lazies. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const d = def(current);
    if (WRAPPERS.has(d.type) && d.innerType) current = d.innerType;
    else if (d.type === "pipe" && d.in && d.out)
      current = def(d.out).type === "transform" ? d.in : d.out;
    else if (d.type === "lazy" && d.getter) current = d.getter();
    else return current;
  }
  return current;
}

function acceptsNullInZod(schema: z.ZodType): boolean {
  try {
    return schema.safeParse(null).success;
  } catch {
    return false;
  }
}

/**
 * Finds every place where the server's zod schema lets a value be `null` but the OpenAPI
 * document, read the way generators read it, does not: a bare `$ref`, an `allOf` without
 * a null branch, a type without `"null"`. Generated clients would type those non-null.
 */
export function createNullableChecker(document: Json) {
  const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Record<
    string,
    Json
  >;

  function resolve(node: unknown): Json | undefined {
    let current = node as Json | undefined;
    for (let depth = 0; current && typeof current.$ref === "string" && depth < 20; depth++) {
      current = schemas[(current.$ref as string).replace("#/components/schemas/", "")];
    }
    return current;
  }

  /** Whether a generator would let this node be null. */
  function acceptsNull(node: unknown, depth = 0): boolean {
    if (depth > 20) return false;
    const schema = resolve(node);
    if (!schema) return false;
    const type = schema.type;
    if (Array.isArray(type)) return type.includes("null");
    if (typeof type === "string") return type === "null";
    if (schema.const === null) return true;
    if (Array.isArray(schema.enum)) return schema.enum.includes(null);
    const anyOf = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
    if (anyOf) return anyOf.some((part) => acceptsNull(part, depth + 1));
    if (Array.isArray(schema.allOf))
      return schema.allOf.every((part) => acceptsNull(part, depth + 1));
    // No type and no composition: `{}` (any value, null included), unless it has properties.
    return !schema.properties && !schema.items;
  }

  /** The branches a value that is not null can take. */
  function nonNullBranches(node: unknown): Json[] {
    const schema = resolve(node);
    if (!schema) return [];
    const anyOf = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
    if (anyOf) return anyOf.flatMap((part) => (acceptsNull(part) ? [] : nonNullBranches(part)));
    if (Array.isArray(schema.allOf)) return [schema, ...schema.allOf.flatMap(nonNullBranches)];
    return [schema];
  }

  function property(node: unknown, key: string): unknown {
    for (const branch of nonNullBranches(node)) {
      const properties = branch.properties as Json | undefined;
      if (properties && key in properties) return properties[key];
    }
    return undefined;
  }

  function items(node: unknown): unknown {
    return nonNullBranches(node).find((branch) => branch.items)?.items;
  }

  let nullablePlaces = 0;

  function walk(schema: z.ZodType, node: unknown, path: string, gaps: string[], depth: number) {
    if (node === undefined || depth > 30) return;
    const nullable = acceptsNullInZod(schema);
    if (nullable) nullablePlaces++;
    if (nullable && !acceptsNull(node)) {
      gaps.push(`${path}: the server may send null, the document says ${JSON.stringify(node)}`);
    }
    const inner = unwrap(schema);
    const d = def(inner);
    if (d.type === "object" && d.shape) {
      for (const [key, child] of Object.entries(d.shape)) {
        walk(child, property(node, key), `${path}.${key}`, gaps, depth + 1);
      }
    } else if (d.type === "array" && d.element) {
      walk(d.element, items(node), `${path}[]`, gaps, depth + 1);
    }
  }

  /** Gaps of one zod schema against one document schema, named from `label`. */
  function check(schema: z.ZodType, node: unknown, label: string): string[] {
    const gaps: string[] = [];
    walk(schema, node, label, gaps, 0);
    return gaps;
  }

  /** How many places that may be null the checks have compared so far. */
  return { check, nullablePlaces: () => nullablePlaces };
}
