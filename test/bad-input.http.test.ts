import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type ProblemBody, type TestApp, type TestResponse } from "./support/app";
import { expectLedgerConsistent, newBox, newPart, setSlotQtyDirectly } from "./support/inventory";

let t: TestApp;
let box: number;
let partId: string;
let otherPartId: string;
let projectId: number;
let itemId: number;

beforeAll(async () => {
  t = await createTestApp();
  box = await newBox(t, 4);
  partId = (await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 5 }] })).id;
  otherPartId = (await newPart(t, { initialStock: [{ boxNo: box, locNo: 2, qty: 5 }] })).id;
  const project = await t.request<{ id: number }>("POST", "/api/v1/projects", { name: "Kit" });
  projectId = project.body.id;
  const item = await t.request<{ id: number }>("POST", "/api/v1/shopping-list", {
    description: "Relay",
  });
  itemId = item.body.id;
}, 120_000);
afterAll(() => t.close());

const INT4_OVERFLOW = 2_147_483_648;
const NUL = "a\u0000b";

/** A problem+json answer with `status`, whose first field error (if any) names `path`. */
function expectProblem(res: TestResponse, status: number, path?: string) {
  const label = `${status} ${path ?? ""}: ${JSON.stringify(res.body)}`;
  expect(res.status, label).toBe(status);
  expect(res.headers.get("Content-Type"), label).toBe("application/problem+json");
  const body = res.body as ProblemBody;
  expect(body.status, label).toBe(status);
  expect(body.detail.length, label).toBeGreaterThan(0);
  if (path !== undefined)
    expect(
      body.errors?.map((e) => e.path),
      label,
    ).toContain(path);
  return body;
}

type Case = [method: string, path: () => string, body: unknown, status: number, field?: string];

/** Runs every case and lists all that answered otherwise, so one run shows every gap. */
async function expectCases(cases: Case[]) {
  const wrong: string[] = [];
  for (const [method, path, body, status, field] of cases) {
    const res = await t.request<ProblemBody>(method, path(), body);
    const paths = res.body.errors?.map((e) => e.path) ?? [];
    const ok =
      res.status === status &&
      res.headers.get("Content-Type") === "application/problem+json" &&
      (field === undefined || paths.includes(field));
    if (!ok) {
      const got = `${res.status} ${paths.join(",")} ${res.body.detail ?? ""}`;
      wrong.push(`${method} ${path()} ${JSON.stringify(body)?.slice(0, 80)} → ${got}`);
    }
  }
  expect(wrong).toEqual([]);
}

const cursor = (position: unknown[]) => Buffer.from(JSON.stringify(position)).toString("base64url");

describe("types", () => {
  test("names: NUL, empty, overlong; ids out of range", () =>
    expectCases([
      ["POST", () => "/api/v1/types", { name: NUL }, 400, "name"],
      ["POST", () => "/api/v1/types", { name: "  " }, 400, "name"],
      ["POST", () => "/api/v1/types", { name: "x".repeat(61) }, 400, "name"],
      ["PATCH", () => `/api/v1/types/${INT4_OVERFLOW}`, { name: "X" }, 400, "typeId"],
      ["GET", () => "/api/v1/types/abc", undefined, 400, "typeId"],
      ["DELETE", () => "/api/v1/types/999999", undefined, 404],
    ]));
});

describe("boxes and locations", () => {
  test("capacity bounds, type ids, descriptions", () =>
    expectCases([
      ["POST", () => "/api/v1/boxes", { capacity: 0 }, 400, "capacity"],
      ["POST", () => "/api/v1/boxes", { capacity: 1001 }, 400, "capacity"],
      ["POST", () => "/api/v1/boxes", { capacity: 1.5 }, 400, "capacity"],
      ["POST", () => "/api/v1/boxes", { capacity: "10" }, 400, "capacity"],
      ["POST", () => "/api/v1/boxes", { capacity: INT4_OVERFLOW }, 400, "capacity"],
      ["POST", () => "/api/v1/boxes", {}, 400, "capacity"],
      ["POST", () => "/api/v1/boxes", { capacity: 1, description: NUL }, 400, "description"],
      [
        "POST",
        () => "/api/v1/boxes",
        { capacity: 1, description: "x".repeat(201) },
        400,
        "description",
      ],
      [
        "POST",
        () => "/api/v1/boxes",
        { capacity: 1, designatedTypeId: INT4_OVERFLOW },
        400,
        "designatedTypeId",
      ],
      [
        "POST",
        () => "/api/v1/boxes",
        { capacity: 1, designatedTypeId: 999_999 },
        400,
        "designatedTypeId",
      ],
      [
        "PATCH",
        () => `/api/v1/boxes/${box}`,
        { designatedTypeId: INT4_OVERFLOW },
        400,
        "designatedTypeId",
      ],
      ["PATCH", () => `/api/v1/boxes/${box}`, { capacity: 0 }, 400, "capacity"],
      ["PATCH", () => `/api/v1/boxes/${box}`, { capacity: 1001 }, 400, "capacity"],
      ["PATCH", () => `/api/v1/boxes/${box}`, { capacity: 1 }, 409],
      ["GET", () => `/api/v1/boxes/${INT4_OVERFLOW}`, undefined, 400, "boxNo"],
      ["GET", () => "/api/v1/boxes/0", undefined, 400, "boxNo"],
      ["GET", () => "/api/v1/boxes/999999", undefined, 404],
    ]));

  test("location codes: malformed 400, unknown 404", () =>
    expectCases([
      ["GET", () => "/api/v1/locations/abc", undefined, 400, "code"],
      ["GET", () => "/api/v1/locations/1-2-3", undefined, 400, "code"],
      ["GET", () => "/api/v1/locations/%00", undefined, 400, "code"],
      ["GET", () => "/api/v1/locations/1-%00", undefined, 400, "code"],
      ["GET", () => "/api/v1/locations/99999999999-1", undefined, 400, "code"],
      ["GET", () => "/api/v1/locations/999999-1", undefined, 404],
      ["GET", () => `/api/v1/locations/${box}-5`, undefined, 404],
      ["GET", () => `/api/v1/locations/${box}-0`, undefined, 404],
    ]));
});

describe("parts", () => {
  const create = (fields: Record<string, unknown>) => ({ description: "Part", ...fields });

  test("every field of a new part is validated", () =>
    expectCases([
      ["POST", () => "/api/v1/parts", {}, 400, "description"],
      ["POST", () => "/api/v1/parts", create({ description: NUL }), 400, "description"],
      ["POST", () => "/api/v1/parts", create({ description: "x".repeat(501) }), 400, "description"],
      ["POST", () => "/api/v1/parts", create({ manufacturerCode: NUL }), 400, "manufacturerCode"],
      ["POST", () => "/api/v1/parts", create({ typeId: INT4_OVERFLOW }), 400, "typeId"],
      ["POST", () => "/api/v1/parts", create({ typeId: 999_999 }), 400, "typeId"],
      ["POST", () => "/api/v1/parts", create({ typeId: "1" }), 400, "typeId"],
      ["POST", () => "/api/v1/parts", create({ tags: [NUL] }), 400, "tags.0"],
      ["POST", () => "/api/v1/parts", create({ tags: ["x".repeat(51)] }), 400, "tags.0"],
      [
        "POST",
        () => "/api/v1/parts",
        create({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }),
        400,
        "tags",
      ],
      ["POST", () => "/api/v1/parts", create({ seller: "x".repeat(101) }), 400, "seller"],
      ["POST", () => "/api/v1/parts", create({ seller: NUL }), 400, "seller"],
      [
        "POST",
        () => "/api/v1/parts",
        create({ sellerLink: "javascript:alert(1)" }),
        400,
        "sellerLink",
      ],
      ["POST", () => "/api/v1/parts", create({ sellerLink: "ftp://x.example" }), 400, "sellerLink"],
      ["POST", () => "/api/v1/parts", create({ sellerLink: "not a url" }), 400, "sellerLink"],
      [
        "POST",
        () => "/api/v1/parts",
        create({ sellerLink: "https://x.example/a\u0000b" }),
        400,
        "sellerLink",
      ],
      [
        "POST",
        () => "/api/v1/parts",
        create({ sellerLink: `https://x.example/${"a".repeat(2000)}` }),
        400,
        "sellerLink",
      ],
      ["POST", () => "/api/v1/parts", create({ pinCount: -1 }), 400, "pinCount"],
      ["POST", () => "/api/v1/parts", create({ pinCount: INT4_OVERFLOW }), 400, "pinCount"],
      [
        "POST",
        () => "/api/v1/parts",
        create({ initialStock: [{ boxNo: box, locNo: 3, qty: INT4_OVERFLOW }] }),
        400,
        "initialStock.0.qty",
      ],
      [
        "POST",
        () => "/api/v1/parts",
        create({ initialStock: [{ boxNo: box, locNo: 3, qty: 0 }] }),
        400,
        "initialStock.0.qty",
      ],
      [
        "POST",
        () => "/api/v1/parts",
        create({ initialStock: [{ boxNo: INT4_OVERFLOW, locNo: 3, qty: 1 }] }),
        400,
        "initialStock.0.boxNo",
      ],
      [
        "POST",
        () => "/api/v1/parts",
        create({ initialStock: [{ boxNo: box, locNo: 99, qty: 1 }] }),
        404,
      ],
      [
        "POST",
        () => "/api/v1/parts",
        create({ initialStock: [{ boxNo: box, locNo: 1, qty: 1 }] }),
        409,
      ],
      ["PATCH", () => `/api/v1/parts/${partId}`, { description: null }, 400, "description"],
      ["PATCH", () => `/api/v1/parts/${partId}`, { typeId: INT4_OVERFLOW }, 400, "typeId"],
      ["PATCH", () => `/api/v1/parts/${partId}`, { voltageRating: NUL }, 400, "voltageRating"],
      ["PATCH", () => "/api/v1/parts/QQQQ", { description: "x" }, 404],
    ]));

  test("part ids and listing parameters", () =>
    expectCases([
      ["GET", () => "/api/v1/parts/AB1C", undefined, 400, "partId"],
      ["GET", () => "/api/v1/parts/ABCDE", undefined, 400, "partId"],
      ["GET", () => "/api/v1/parts/%C3%84BCD", undefined, 400, "partId"],
      ["GET", () => "/api/v1/parts/AB%00C", undefined, 400, "partId"],
      ["GET", () => "/api/v1/parts/QQQQ", undefined, 404],
      ["DELETE", () => `/api/v1/parts/${partId}`, undefined, 409],
      ["GET", () => "/api/v1/parts?tag=%00", undefined, 400, "tag"],
      ["GET", () => "/api/v1/parts?tag=a%00b", undefined, 400, "tag"],
      ["GET", () => `/api/v1/parts?typeId=${INT4_OVERFLOW}`, undefined, 400, "typeId"],
      ["GET", () => "/api/v1/parts?typeId=%00", undefined, 400, "typeId"],
      ["GET", () => "/api/v1/parts?limit=0", undefined, 400, "limit"],
      ["GET", () => "/api/v1/parts?limit=201", undefined, 400, "limit"],
      ["GET", () => "/api/v1/parts?sort=%00", undefined, 400, "sort"],
      ["GET", () => "/api/v1/parts?inStock=yes", undefined, 400, "inStock"],
      ["GET", () => "/api/v1/parts?cursor=%00", undefined, 400, "cursor"],
      ["GET", () => `/api/v1/parts?cursor=${cursor(["id", "\u0000"])}`, undefined, 400, "cursor"],
      [
        "GET",
        () => `/api/v1/parts?sort=createdAt&cursor=${cursor(["createdAt", "x", "ABCD"])}`,
        undefined,
        400,
        "cursor",
      ],
      [
        "GET",
        () => `/api/v1/projects?cursor=${cursor(["projects", 2 ** 40])}`,
        undefined,
        400,
        "cursor",
      ],
      [
        "GET",
        () => `/api/v1/shopping-list?cursor=${cursor(["shopping", 2 ** 40])}`,
        undefined,
        400,
        "cursor",
      ],
      [
        "GET",
        () => `/api/v1/parts/${partId}/history?cursor=${cursor(["ledger", 2 ** 63])}`,
        undefined,
        400,
        "cursor",
      ],
      ["GET", () => "/api/v1/location-suggestions?typeId=999999", undefined, 400, "typeId"],
      ["GET", () => "/api/v1/location-suggestions?count=51", undefined, 400, "count"],
    ]));
});

describe("stock", () => {
  const stockPath = (op: string) => () => `/api/v1/parts/${partId}/stock/${op}`;

  test("quantities, slots and moves", () =>
    expectCases([
      ["POST", stockPath("add"), { boxNo: box, locNo: 1, qty: INT4_OVERFLOW }, 400, "qty"],
      ["POST", stockPath("add"), { boxNo: box, locNo: 1, qty: 0 }, 400, "qty"],
      ["POST", stockPath("add"), { boxNo: box, locNo: 1, qty: -3 }, 400, "qty"],
      ["POST", stockPath("add"), { boxNo: box, locNo: 1, qty: 2.5 }, 400, "qty"],
      ["POST", stockPath("add"), { boxNo: box, locNo: 1, qty: null }, 400, "qty"],
      ["POST", stockPath("add"), { boxNo: INT4_OVERFLOW, locNo: 1, qty: 1 }, 400, "boxNo"],
      ["POST", stockPath("add"), { boxNo: box, locNo: 1001, qty: 1 }, 400, "locNo"],
      ["POST", stockPath("add"), { boxNo: box, locNo: 99, qty: 1 }, 404],
      ["POST", stockPath("add"), { boxNo: 999_999, locNo: 1, qty: 1 }, 404],
      ["POST", stockPath("add"), { boxNo: box, locNo: 2, qty: 1 }, 409],
      [
        "POST",
        stockPath("remove"),
        { removals: [{ boxNo: box, locNo: 1, qty: INT4_OVERFLOW }] },
        400,
        "removals.0.qty",
      ],
      ["POST", stockPath("remove"), { removals: [] }, 400, "removals"],
      ["POST", stockPath("remove"), { removals: [{ boxNo: box, locNo: 1, qty: 6 }] }, 409],
      [
        "POST",
        stockPath("move"),
        { from: { boxNo: box, locNo: 1 }, to: [{ boxNo: box, locNo: 1, qty: 1 }] },
        400,
        "to.0",
      ],
      [
        "POST",
        stockPath("move"),
        { from: { boxNo: box, locNo: 1 }, to: [{ boxNo: box, locNo: 3, qty: INT4_OVERFLOW }] },
        400,
        "to.0.qty",
      ],
      [
        "POST",
        stockPath("move"),
        { from: { boxNo: box, locNo: 1 }, to: [{ boxNo: box, locNo: 99, qty: 1 }] },
        404,
      ],
      [
        "POST",
        stockPath("move"),
        { from: { boxNo: box, locNo: 1 }, to: [{ boxNo: box, locNo: 2, qty: 1 }] },
        409,
      ],
      ["POST", () => "/api/v1/parts/QQQQ/stock/add", { boxNo: box, locNo: 3, qty: 1 }, 404],
    ]));

  test("an add that would overflow what a slot can count is refused, not a 500", async () => {
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 4, qty: 1 }] });
    const nearMax = 2_147_483_000;
    await setSlotQtyDirectly(t, { partId: part.id, boxNo: box, locNo: 4, from: 1, to: nearMax });
    const res = await t.request("POST", `/api/v1/parts/${part.id}/stock/add`, {
      boxNo: box,
      locNo: 4,
      qty: 1_000_000,
    });
    expectProblem(res, 409);
    const slot = await t.request<{ part: { qty: number } }>("GET", `/api/v1/locations/${box}-4`);
    expect(slot.body.part.qty).toBe(nearMax);
    await expectLedgerConsistent(t);
  });
});

describe("projects", () => {
  const requirements = () => `/api/v1/projects/${projectId}/requirements`;

  test("names, quantities and the source of a requirement", () =>
    expectCases([
      ["POST", () => "/api/v1/projects", { name: NUL }, 400, "name"],
      ["POST", () => "/api/v1/projects", { name: "x", notes: NUL }, 400, "notes"],
      ["POST", () => "/api/v1/projects", { name: "x".repeat(201) }, 400, "name"],
      ["POST", requirements, { partId, requiredQty: 0 }, 400, "requiredQty"],
      ["POST", requirements, { partId, requiredQty: -1 }, 400, "requiredQty"],
      ["POST", requirements, { partId, requiredQty: 1.5 }, 400, "requiredQty"],
      ["POST", requirements, { partId, requiredQty: INT4_OVERFLOW }, 400, "requiredQty"],
      [
        "POST",
        requirements,
        {
          partId,
          placeholder: { manufacturerCode: "NE555", description: "Timer" },
          requiredQty: 1,
        },
        400,
        "placeholder",
      ],
      ["POST", requirements, { requiredQty: 1 }, 400, "partId"],
      ["POST", requirements, { partId: "AB1", requiredQty: 1 }, 400, "partId"],
      ["POST", requirements, { partId: "QQQQ", requiredQty: 1 }, 400, "partId"],
      [
        "POST",
        requirements,
        { placeholder: { manufacturerCode: NUL, description: "Timer" }, requiredQty: 1 },
        400,
        "placeholder.manufacturerCode",
      ],
      ["POST", () => "/api/v1/projects/999999/requirements", { partId, requiredQty: 1 }, 404],
      ["GET", () => `/api/v1/projects/${projectId}?kits=0`, undefined, 400, "kits"],
      ["GET", () => `/api/v1/projects/${projectId}?kits=10001`, undefined, 400, "kits"],
    ]));

  test("picks that do not add up or point at another part's slots", async () => {
    const project = await t.request<{ id: number }>("POST", "/api/v1/projects", { name: "B" });
    const id = project.body.id;
    const req = await t.request("POST", `/api/v1/projects/${id}/requirements`, {
      partId,
      requiredQty: 2,
    });
    expect(req.status).toBe(201);
    const build = () => `/api/v1/projects/${id}/build`;
    await expectCases([
      ["POST", build, { picks: [{ partId, boxNo: box, locNo: 1, qty: 1 }] }, 400, "picks"],
      [
        "POST",
        build,
        { picks: [{ partId: otherPartId, boxNo: box, locNo: 2, qty: 2 }] },
        400,
        "picks.0.partId",
      ],
      ["POST", build, { picks: [{ partId, boxNo: box, locNo: 2, qty: 2 }] }, 409],
      ["POST", build, { picks: [{ partId, boxNo: box, locNo: 99, qty: 2 }] }, 404],
      ["POST", build, { kits: 0 }, 400, "kits"],
      ["POST", build, { kits: 3 }, 409],
    ]);
    const stocked = await t.request<{ totalQty: number }>("GET", `/api/v1/parts/${partId}`);
    expect(stocked.body.totalQty).toBe(5);
    await t.request("DELETE", `/api/v1/projects/${id}`);
  });

  test("a shortfall too large for a shopping-list quantity is refused, not a 500", async () => {
    const project = await t.request<{ id: number }>("POST", "/api/v1/projects", { name: "Big" });
    const id = project.body.id;
    await t.request("POST", `/api/v1/projects/${id}/requirements`, {
      placeholder: { manufacturerCode: "BIG1", description: "Many" },
      requiredQty: 1_000_000,
    });
    const res = await t.request("POST", `/api/v1/projects/${id}/shortages-to-shopping-list`, {
      kits: 10_000,
    });
    expectProblem(res, 400, "kits");
    const kit = await t.request<{ requirements: { shortfall: number }[] }>(
      "GET",
      `/api/v1/projects/${id}?kits=10000`,
    );
    expect(kit.status).toBe(200);
    expect(kit.body.requirements[0]?.shortfall).toBe(10_000_000_000);
    await t.request("DELETE", `/api/v1/projects/${id}`);
  });
});

describe("shopping list", () => {
  test("fields of an item", () =>
    expectCases([
      ["POST", () => "/api/v1/shopping-list", {}, 400, "description"],
      [
        "POST",
        () => "/api/v1/shopping-list",
        { description: "x", typeId: INT4_OVERFLOW },
        400,
        "typeId",
      ],
      ["POST", () => "/api/v1/shopping-list", { description: "x", typeId: 999_999 }, 400, "typeId"],
      [
        "POST",
        () => "/api/v1/shopping-list",
        { description: "x", desiredQty: 0 },
        400,
        "desiredQty",
      ],
      [
        "POST",
        () => "/api/v1/shopping-list",
        { description: "x", desiredQty: INT4_OVERFLOW },
        400,
        "desiredQty",
      ],
      [
        "POST",
        () => "/api/v1/shopping-list",
        { description: "x", sellerLink: "ftp://x.example" },
        400,
        "sellerLink",
      ],
      [
        "POST",
        () => "/api/v1/shopping-list",
        { description: "x", sellerLink: "https://x.example/\u0000" },
        400,
        "sellerLink",
      ],
      ["POST", () => "/api/v1/shopping-list", { description: "x", notes: NUL }, 400, "notes"],
      ["POST", () => "/api/v1/shopping-list", { description: "x", seller: NUL }, 400, "seller"],
      ["POST", () => "/api/v1/shopping-list", { partId: "QQQQ" }, 400, "partId"],
      ["PATCH", () => `/api/v1/shopping-list/${itemId}`, { typeId: INT4_OVERFLOW }, 400, "typeId"],
      ["PATCH", () => `/api/v1/shopping-list/${itemId}`, { description: NUL }, 400, "description"],
      ["PATCH", () => "/api/v1/shopping-list/999999", { notes: "x" }, 404],
      ["GET", () => "/api/v1/shopping-list?status=%00", undefined, 400, "status"],
      ["POST", () => `/api/v1/shopping-list/${itemId}/receive`, { qty: 0 }, 400, "qty"],
      [
        "POST",
        () => `/api/v1/shopping-list/${itemId}/receive`,
        { locations: [{ boxNo: box, locNo: 3, qty: INT4_OVERFLOW }] },
        400,
        "locations.0.qty",
      ],
      [
        "POST",
        () => `/api/v1/shopping-list/${itemId}/receive`,
        { qty: 2, locations: [{ boxNo: box, locNo: 3, qty: 1 }] },
        400,
        "locations",
      ],
    ]));

  test("receiving twice is 409 and stocks once", async () => {
    const created = await t.request<{ id: number }>("POST", "/api/v1/shopping-list", {
      partId: otherPartId,
      desiredQty: 2,
    });
    const receive = () => `/api/v1/shopping-list/${created.body.id}/receive`;
    const first = await t.request("POST", receive(), {
      locations: [{ boxNo: box, locNo: 2, qty: 2 }],
    });
    expect(first.status).toBe(200);
    expectProblem(
      await t.request("POST", receive(), { locations: [{ boxNo: box, locNo: 2, qty: 2 }] }),
      409,
    );
    const part = await t.request<{ totalQty: number }>("GET", `/api/v1/parts/${otherPartId}`);
    expect(part.body.totalQty).toBe(7);
    await expectLedgerConsistent(t);
  });
});

describe("HTTP-level refusals are problems too", () => {
  test("malformed JSON, wrong content type, unknown route, method not allowed", async () => {
    expect(expectProblem(await t.request("POST", "/api/v1/parts", "{"), 400).code).toBe(
      "request.malformed_json",
    );
    expect(expectProblem(await t.request("POST", "/api/v1/boxes", "[1,"), 400).code).toBe(
      "request.malformed_json",
    );
    expectProblem(
      await t.request("POST", "/api/v1/parts", "description=x", {
        "Content-Type": "application/x-www-form-urlencoded",
      }),
      415,
    );
    const huge = JSON.stringify({ description: "x", notes: "x".repeat(2 * 1024 * 1024) });
    expect(expectProblem(await t.request("POST", "/api/v1/parts", huge), 413).code).toBe(
      "request.too_large",
    );
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(huge));
        controller.close();
      },
    });
    const streamed = await t.app.request("/api/v1/boxes", {
      method: "POST",
      body: chunked,
      headers: { "Content-Type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expectProblem(await t.request("POST", "/api/v1/parts", "null"), 400);
    expectProblem(await t.request("POST", "/api/v1/parts", "[]"), 400);
    expectProblem(await t.request("POST", "/api/v1/parts", '"x"'), 400);
    expectProblem(await t.request("GET", "/api/v1/nope"), 404);
    expectProblem(await t.request("GET", "/api/v1/parts/ABCD/nope"), 404);
    const res = await t.request("DELETE", "/api/v1/parts");
    expectProblem(res, 405);
    expect(res.headers.get("Allow")).toContain("GET");
    expectProblem(await t.request("PUT", `/api/v1/parts/${partId}/stock/add`, {}), 405);
  });
});
