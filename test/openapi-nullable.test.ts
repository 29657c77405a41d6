import { describe, expect, test } from "bun:test";
import { z } from "@hono/zod-openapi";
import { createDocumentApp } from "../src/scripts/openapi-app";
import { createNullableChecker, type RouteResponses } from "./support/nullable-references";

// Generators read a bare `$ref` (or an `allOf` without a null branch) as never null. The
// server's own zod response schemas say where it may send null; the committed document
// must allow null at every one of those places (STACK-NOTES: `z.union([X, z.null()])`).

const document = await Bun.file(new URL("../openapi/openapi.json", import.meta.url)).json();

type Operation = { operationId: string; responses: Record<string, { content?: Json }> };
type Json = Record<string, { schema?: unknown }>;

function documentedOperations() {
  const byId = new Map<string, Operation>();
  for (const path of Object.values(document.paths as Record<string, Record<string, Operation>>)) {
    for (const operation of Object.values(path)) byId.set(operation.operationId, operation);
  }
  return byId;
}

describe("nullable references in the OpenAPI document", () => {
  test("every response value the server may send as null is nullable in the document", () => {
    const checker = createNullableChecker(document);
    const operations = documentedOperations();
    const routes = createDocumentApp()
      .openAPIRegistry.definitions.filter((definition) => definition.type === "route")
      .map((definition) => (definition as unknown as { route: RouteResponses }).route);
    expect(routes.length).toBe(operations.size);
    const gaps: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const operation = operations.get(route.operationId);
      expect(operation, route.operationId).toBeDefined();
      for (const [status, response] of Object.entries(route.responses)) {
        for (const [media, { schema }] of Object.entries(response.content ?? {})) {
          if (!(schema instanceof z.ZodType)) continue;
          const documented = operation?.responses[status]?.content?.[media]?.schema;
          expect(documented, `${route.operationId} ${status} ${media}`).toBeDefined();
          gaps.push(...checker.check(schema, documented, `${route.operationId} ${status}`));
          checked++;
        }
      }
    }
    expect(gaps).toEqual([]);
    expect(checked).toBeGreaterThan(100);
    // Parts, documents, jobs and more carry nullable fields: the walk reached them.
    expect(checker.nullablePlaces()).toBeGreaterThan(100);
    console.log(
      `nullable check: ${checked} response schemas, ${checker.nullablePlaces()} nullable places`,
    );
  });

  test("the check itself finds a bare $ref and an allOf where null can be sent", () => {
    const Slot = z.object({ boxNo: z.number() }).openapi("Slot");
    const Holder = z.object({
      bare: Slot.nullable(),
      wrapped: Slot.nullable(),
      correct: z.union([Slot, z.null()]),
      list: z.array(z.object({ inner: Slot.nullable() })),
      plain: z.string().nullable(),
    });
    const slot = { $ref: "#/components/schemas/Slot" };
    const checker = createNullableChecker({
      components: { schemas: { Slot: { type: "object", properties: { boxNo: {} } } } },
    });
    const gaps = checker.check(
      Holder,
      {
        type: "object",
        properties: {
          bare: slot,
          wrapped: { allOf: [slot, { description: "x" }] },
          correct: { anyOf: [slot, { type: "null" }] },
          list: { type: "array", items: { type: "object", properties: { inner: slot } } },
          plain: { type: "string" },
        },
      },
      "Holder",
    );
    expect(gaps.map((gap) => gap.split(":")[0])).toEqual([
      "Holder.bare",
      "Holder.wrapped",
      "Holder.list[].inner",
      "Holder.plain",
    ]);
  });
});
