import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "./support/app";
import { newBox, newPart } from "./support/inventory";

// Hostile values in every path parameter, query parameter and body field the OpenAPI
// document declares. Whatever the value, the answer is a success or a problem+json
// refusal, never a 500; and validation refuses it, not the database (the problems
// `app.onError` makes from PostgreSQL refusals are a safety net, not validation).

const document = await Bun.file(new URL("../openapi/openapi.json", import.meta.url)).json();

interface Parameter {
  name: string;
  in: string;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
}

const HOSTILE: unknown[] = [
  "\u0000",
  "a\u0000b",
  "https://example.com/a\u0000b",
  "x".repeat(10_000),
  "",
  " ",
  "\ud800",
  2_147_483_648,
  -2_147_483_649,
  2 ** 53,
  -1,
  0,
  1.5,
  1e308,
  true,
  null,
  [],
  {},
  ["\u0000"],
  [{ boxNo: 2_147_483_648, locNo: 1, qty: 1 }],
];

const HOSTILE_TEXT = [
  "%00",
  "a%00b",
  "2147483648",
  "-1",
  "0",
  "1.5",
  "1e400",
  "NaN",
  "%EF%BF%BF",
  "%C3%28",
  "x".repeat(3000),
  "..%2F..",
  "1-2-3",
];

let t: TestApp;
const ids: Record<string, string> = {};
/** A valid body per operation, whose fields the body fuzz replaces one by one. */
const bodies: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  t = await createTestApp();
  const box = await newBox(t, 20);
  const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 50 }] });
  const type = await t.request<{ id: number }>("POST", "/api/v1/types", { name: "Fuzz" });
  const project = await t.request<{ id: number }>("POST", "/api/v1/projects", { name: "F" });
  const requirement = await t.request<{ id: number }>(
    "POST",
    `/api/v1/projects/${project.body.id}/requirements`,
    { partId: part.id, requiredQty: 1 },
  );
  const item = await t.request<{ id: number }>("POST", "/api/v1/shopping-list", {
    partId: part.id,
  });
  Object.assign(ids, {
    partId: part.id,
    boxNo: String(box),
    typeId: String(type.body.id),
    projectId: String(project.body.id),
    requirementId: String(requirement.body.id),
    itemId: String(item.body.id),
    code: `${box}-1`,
  });
  const slot = { boxNo: box, locNo: 2, qty: 1 };
  Object.assign(bodies, {
    createType: { name: "Fuzzed" },
    updateType: { name: "Fuzz" },
    createBox: { description: "Fuzz", capacity: 2, designatedTypeId: type.body.id },
    updateBox: { description: "Fuzz", capacity: 20, designatedTypeId: type.body.id },
    createPart: {
      description: "Fuzz",
      manufacturerCode: "F-1",
      manufacturer: "Fuzz Inc",
      typeId: type.body.id,
      tags: ["a"],
      package: "THT",
      mountingType: "through-hole",
      pinCount: 2,
      voltageRating: "5 V",
      seller: "LCSC",
      sellerLink: "https://example.com/p",
      initialStock: [slot],
    },
    updatePart: { description: "Fuzz", typeId: type.body.id, tags: ["b"], pinCount: 3 },
    addStock: slot,
    removeStock: { removals: [{ boxNo: box, locNo: 1, qty: 1 }] },
    moveStock: { from: { boxNo: box, locNo: 1 }, to: [slot] },
    createShoppingItem: {
      partId: part.id,
      description: "Fuzz",
      desiredQty: 2,
      manufacturerCode: "F-1",
      typeId: type.body.id,
      seller: "LCSC",
      sellerLink: "https://example.com/p",
      notes: "n",
    },
    updateShoppingItem: { description: "Fuzz", desiredQty: 3, typeId: type.body.id, notes: "" },
    receiveShoppingItem: { qty: 1, locations: [{ boxNo: box, locNo: 3, qty: 1 }] },
    createProject: { name: "Fuzz", notes: "" },
    updateProject: { name: "Fuzz", notes: "" },
    createRequirement: {
      placeholder: { manufacturerCode: "F", description: "F" },
      requiredQty: 1,
    },
    updateRequirement: { requiredQty: 2 },
    addShortagesToShoppingList: { kits: 1 },
    buildProject: { kits: 1, picks: [{ partId: part.id, boxNo: box, locNo: 1, qty: 1 }] },
    createDocument: { kind: "link", url: "https://example.com/d.pdf", title: "Datasheet" },
    setPartCover: { documentId: "00000000-0000-4000-8000-000000000000" },
  });
}, 120_000);
afterAll(() => t.close());

const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>)
  .filter(([path]) => path.startsWith("/api/v1/"))
  .flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })),
  );

function fill(path: string, override?: [string, string]) {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    override && override[0] === name ? override[1] : (ids[name] ?? "1"),
  );
}

/** Codes of problems made from PostgreSQL refusals no validation caught. */
const FROM_DATABASE = /^(db\.|request\.unstorable_text$)/;

/** Sends a request and describes it when the answer is a 500 or a badly made refusal. */
async function probe(method: string, path: string, body?: unknown): Promise<string[]> {
  const res = await t.request<{ code?: string }>(method.toUpperCase(), path, body);
  // 503 is a documented answer (a dependency such as the AI is not configured).
  const refusedBadly =
    (res.status >= 500 && res.status !== 503) ||
    (res.status >= 400 && res.headers.get("Content-Type") !== "application/problem+json") ||
    FROM_DATABASE.test(res.body.code ?? "");
  if (!refusedBadly) return [];
  const request = `${method.toUpperCase()} ${path.slice(0, 100)} ${JSON.stringify(body)?.slice(0, 100)}`;
  return [`${request} → ${res.status} ${res.body.code}`];
}

describe("hostile input never gets a 500", () => {
  test("in path parameters", async () => {
    const failures: string[] = [];
    for (const { path, method, operation } of operations) {
      for (const param of operation.parameters?.filter((p) => p.in === "path") ?? []) {
        for (const value of HOSTILE_TEXT) {
          const body = bodies[operation.operationId];
          failures.push(...(await probe(method, fill(path, [param.name, value]), body)));
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test("in query parameters", async () => {
    const failures: string[] = [];
    for (const { path, method, operation } of operations) {
      if (method !== "get") continue;
      for (const param of operation.parameters?.filter((p) => p.in === "query") ?? []) {
        for (const value of HOSTILE_TEXT) {
          failures.push(...(await probe(method, `${fill(path)}?${param.name}=${value}`)));
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test("in every field of every JSON body", async () => {
    const failures: string[] = [];
    for (const { path, method, operation } of operations) {
      const base = bodies[operation.operationId];
      if (!base) continue;
      for (const field of Object.keys(base)) {
        for (const value of HOSTILE) {
          failures.push(...(await probe(method, fill(path), { ...base, [field]: value })));
          const nested = base[field];
          const inner = Array.isArray(nested) ? nested[0] : nested;
          if (!inner || typeof inner !== "object") continue;
          for (const innerField of Object.keys(inner)) {
            const mutated = { ...inner, [innerField]: value };
            const body = { ...base, [field]: Array.isArray(nested) ? [mutated] : mutated };
            failures.push(...(await probe(method, fill(path), body)));
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test("every fuzz body belongs to a documented operation", () => {
    const documented = new Set(operations.map(({ operation }) => operation.operationId));
    expect(Object.keys(bodies).filter((id) => !documented.has(id))).toEqual([]);
  });
});
