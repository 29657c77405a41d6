import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { randomPartId } from "../src/lib/ids";
import { PartListSchema, PartSchema } from "../src/modules/parts/parts.schemas";
import { partsTable } from "../src/modules/parts/parts.table";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import {
  expectGetRejects,
  expectLedgerConsistent,
  newBox,
  newPart,
  typeIdByName,
} from "./support/inventory";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

async function partCount(app: TestApp) {
  const [row] = await app.deps.db.select({ n: count() }).from(partsTable);
  return row!.n;
}

/** An id source answering the queued ids first, then random ones. */
function queuedIds(...ids: string[]) {
  return () => ids.shift() ?? randomPartId();
}

describe("create and read", () => {
  test("the tag limit counts tags as stored: repeats in another case and blanks are free", async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const res = await t.request("POST", "/api/v1/parts", {
      description: "Tagged",
      tags: [...fifty, "T0", " t1 ", ""],
    });
    expect(res.status).toBe(201);
    expect(PartSchema.parse(res.body).tags).toEqual(fifty);
  });

  test("every field round-trips; tags are normalised; the id is 4 letters", async () => {
    const relay = await typeIdByName(t, "Relay");
    const res = await t.request("POST", "/api/v1/parts", {
      description: "  Relay 5 V SPST 5 A ",
      manufacturerCode: "G5Q-1A4",
      manufacturer: "OMRON",
      typeId: relay,
      tags: [" 5V", "tht", "5v", "", "THT ", "coil"],
      package: "THT",
      mountingType: "through-hole",
      pinCount: 4,
      voltageRating: "5 V",
      seller: "LCSC",
      sellerLink: "https://www.lcsc.com/product-detail/C2905.html",
    });
    expect(res.status).toBe(201);
    const part = PartSchema.parse(res.body);
    expect(part.id).toMatch(/^[A-Z]{4}$/);
    expect(res.headers.get("Location")).toBe(`/api/v1/parts/${part.id}`);
    expect(part).toMatchObject({
      description: "Relay 5 V SPST 5 A",
      manufacturerCode: "G5Q-1A4",
      manufacturer: "OMRON",
      typeId: relay,
      typeName: "Relay",
      tags: ["5V", "tht", "coil"],
      package: "THT",
      mountingType: "through-hole",
      pinCount: 4,
      voltageRating: "5 V",
      seller: "LCSC",
      sellerLink: "https://www.lcsc.com/product-detail/C2905.html",
      coverDocumentId: null,
      thumbnailUrl: null,
      totalQty: 0,
      locations: [],
    });
    const read = await t.request("GET", `/api/v1/parts/${part.id.toLowerCase()}`);
    expect(read.status).toBe(200);
    expect(PartSchema.parse(read.body)).toEqual(part);
  });

  test("only a description is required; blank optional fields are null", async () => {
    const part = await newPart(t, { description: "Bare", manufacturer: " " });
    expect(part).toMatchObject({ manufacturer: null, typeId: null, typeName: null, tags: [] });
  });

  test("initial stock is stored with the part and recorded in the ledger", async () => {
    const box = await newBox(t, 5);
    const part = await newPart(t, {
      initialStock: [
        { boxNo: box, locNo: 2, qty: 7 },
        { boxNo: box, locNo: 1, qty: 1 },
        { boxNo: box, locNo: 1, qty: 2 },
      ],
    });
    expect(part.totalQty).toBe(10);
    expect(part.locations).toEqual([
      { boxNo: box, locNo: 1, code: `${box}-1`, qty: 3 },
      { boxNo: box, locNo: 2, code: `${box}-2`, qty: 7 },
    ]);
    const history = await t.request<{ items: { reason: string; deltaQty: number }[] }>(
      "GET",
      `/api/v1/parts/${part.id}/history`,
    );
    expect(history.body.items.map((row) => [row.reason, row.deltaQty]).sort()).toEqual([
      ["add", 3],
      ["add", 7],
    ]);
    await expectLedgerConsistent(t);
  });

  test("initial stock that cannot be stored leaves no part behind", async () => {
    const box = await newBox(t, 2);
    await newPart(t, { initialStock: [{ boxNo: box, locNo: 1, qty: 1 }] });
    const before = await partCount(t);
    const occupied = await t.request<ProblemBody>("POST", "/api/v1/parts", {
      description: "Second",
      initialStock: [
        { boxNo: box, locNo: 2, qty: 1 },
        { boxNo: box, locNo: 1, qty: 1 },
      ],
    });
    expect(occupied.status).toBe(409);
    expect(occupied.body.detail).toContain(`${box}-1`);
    const missing = await t.request("POST", "/api/v1/parts", {
      description: "Third",
      initialStock: [{ boxNo: box, locNo: 3, qty: 1 }],
    });
    expect(missing.status).toBe(404);
    expect(await partCount(t)).toBe(before);
    const slot = await t.request<{ part: unknown }>("GET", `/api/v1/locations/${box}-2`);
    expect(slot.body.part).toBeNull();
    await expectLedgerConsistent(t);
  });

  test("bad input names each field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, "description"],
      [{ description: "   " }, "description"],
      [{ description: "x".repeat(501) }, "description"],
      [{ description: "x", sellerLink: "ftp://example.com/a" }, "sellerLink"],
      [{ description: "x", sellerLink: "javascript:alert(1)" }, "sellerLink"],
      [{ description: "x", sellerLink: "not a url" }, "sellerLink"],
      [{ description: "x", tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, "tags"],
      [{ description: "x", tags: ["y".repeat(51)] }, "tags.0"],
      [{ description: "x", manufacturerCode: "m".repeat(101) }, "manufacturerCode"],
      [{ description: "x", pinCount: -1 }, "pinCount"],
      [{ description: "x", pinCount: 2.5 }, "pinCount"],
      [{ description: "x", typeId: 999_999 }, "typeId"],
      [{ description: "x", initialStock: [{ boxNo: 1, locNo: 1, qty: 0 }] }, "initialStock.0.qty"],
    ];
    for (const [body, path] of cases) {
      const res = await t.request<ProblemBody>("POST", "/api/v1/parts", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.errors?.map((error) => error.path)).toContain(path);
    }
  });

  test("malformed ids are 400 naming partId, unknown ids 404", async () => {
    for (const id of ["ABC", "ABCDE", "AB1D", "AB-D"]) {
      const res = await t.request<ProblemBody>("GET", `/api/v1/parts/${id}`);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe("partId");
    }
    const res = await t.request<ProblemBody>("GET", "/api/v1/parts/zzzz");
    expect(res.status).toBe(404);
    expect(res.body.detail).toContain("ZZZZ");
  });
});

describe("ids", () => {
  test("concurrent creates with a colliding id source all get distinct ids", async () => {
    // Every other id handed out is AAAA, so nearly every create collides at least once.
    let calls = 0;
    const colliding = () => (calls++ % 2 === 0 ? "AAAA" : randomPartId());
    const app = await createTestApp({ deps: { newPartId: colliding } });
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          app.request<{ id: string }>("POST", "/api/v1/parts", { description: `p${i}` }),
        ),
      );
      expect(results.map((res) => res.status)).toEqual(Array(12).fill(201));
      const ids = results.map((res) => res.body.id);
      expect(new Set(ids).size).toBe(12);
      expect(ids).toContain("AAAA");
      expect(calls).toBeGreaterThan(12);
      expect(await partCount(app)).toBe(12);
    } finally {
      await app.close();
    }
  });

  test("an id source that only collides ends in 503, not a loop", async () => {
    const app = await createTestApp({ deps: { newPartId: () => "AAAA" } });
    try {
      expect((await newPart(app)).id).toBe("AAAA");
      const res = await app.request<ProblemBody>("POST", "/api/v1/parts", { description: "x" });
      expect(res.status).toBe(503);
      expect(await partCount(app)).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe("update and delete", () => {
  test("patch changes the given fields and null clears them", async () => {
    const part = await newPart(t, { manufacturer: "TI", tags: ["a"], pinCount: 8 });
    const sensor = await typeIdByName(t, "Sensor");
    const res = await t.request("PATCH", `/api/v1/parts/${part.id.toLowerCase()}`, {
      manufacturer: null,
      typeId: sensor,
      tags: ["B", "b", " c "],
    });
    expect(res.status).toBe(200);
    const updated = PartSchema.parse(res.body);
    expect(updated).toMatchObject({
      description: part.description,
      manufacturer: null,
      typeId: sensor,
      typeName: "Sensor",
      tags: ["B", "c"],
      pinCount: 8,
    });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(part.updatedAt));
  });

  test("patch refuses bad input, unknown types and unknown parts", async () => {
    const part = await newPart(t);
    const bad = await t.request<ProblemBody>("PATCH", `/api/v1/parts/${part.id}`, {
      description: "",
      sellerLink: "mailto:x@y.z",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((error) => error.path).sort()).toEqual([
      "description",
      "sellerLink",
    ]);
    const type = await t.request<ProblemBody>("PATCH", `/api/v1/parts/${part.id}`, {
      typeId: 999_999,
    });
    expect(type.status).toBe(400);
    expect(type.body.errors?.[0]?.path).toBe("typeId");
    expect((await t.request("PATCH", "/api/v1/parts/QQQQ", { description: "x" })).status).toBe(404);
  });

  test("delete is refused while stock remains, then removes the part and its history", async () => {
    const box = await newBox(t, 3);
    const part = await newPart(t, { initialStock: [{ boxNo: box, locNo: 3, qty: 2 }] });
    const refused = await t.request<ProblemBody>("DELETE", `/api/v1/parts/${part.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`${box}-3`);

    const removed = await t.request("POST", `/api/v1/parts/${part.id}/stock/remove`, {
      removals: [{ boxNo: box, locNo: 3, qty: 2 }],
    });
    expect(removed.status).toBe(200);
    expect((await t.request("DELETE", `/api/v1/parts/${part.id.toLowerCase()}`)).status).toBe(204);
    expect((await t.request("GET", `/api/v1/parts/${part.id}`)).status).toBe(404);
    expect((await t.request("DELETE", `/api/v1/parts/${part.id}`)).status).toBe(404);
    const [rows] = await t.deps.db
      .select({ n: count() })
      .from(partsTable)
      .where(eq(partsTable.id, part.id));
    expect(rows!.n).toBe(0);
    await expectLedgerConsistent(t);
  });
});

describe("list items are summaries", () => {
  test("exactly the summary fields, with the total and the location codes in box/slot order", async () => {
    const relay = await typeIdByName(t, "Relay");
    // Slot 10 after slot 2: box/slot order is numeric, not the order of the codes as text.
    const first = await newBox(t, 12);
    const second = await newBox(t, 5);
    const stocked = await newPart(t, {
      description: "Summary relay",
      manufacturerCode: "G5Q-SUM",
      manufacturer: "OMRON",
      typeId: relay,
      tags: ["Summary-Test", "5V"],
      seller: "LCSC",
      initialStock: [
        { boxNo: second, locNo: 2, qty: 3 },
        { boxNo: first, locNo: 10, qty: 7 },
        { boxNo: first, locNo: 2, qty: 5 },
      ],
    });
    const empty = await newPart(t, { description: "Summary empty", tags: ["summary-test"] });
    const list = async () => {
      const res = await t.request("GET", "/api/v1/parts?tag=SUMMARY-TEST");
      expect(res.status).toBe(200);
      return PartListSchema.parse(res.body).items;
    };

    const items = await list();
    expect(items.map((item) => Object.keys(item).sort())).toEqual(
      [stocked, empty].map(() => [
        "description",
        "id",
        "locationCodes",
        "manufacturerCode",
        "tags",
        "thumbnailUrl",
        "totalQty",
        "typeName",
      ]),
    );
    const expected = [
      {
        id: stocked.id,
        manufacturerCode: "G5Q-SUM",
        description: "Summary relay",
        typeName: "Relay",
        tags: ["Summary-Test", "5V"],
        totalQty: 15,
        locationCodes: [`${first}-2`, `${first}-10`, `${second}-2`],
        thumbnailUrl: null,
      },
      {
        id: empty.id,
        manufacturerCode: null,
        description: "Summary empty",
        typeName: null,
        tags: ["summary-test"],
        totalQty: 0,
        locationCodes: [],
        thumbnailUrl: null,
      },
    ].sort((a, b) => a.id.localeCompare(b.id));
    expect(items).toEqual(expected);

    // The summary follows the stock: a slot emptied drops out, the full part agrees.
    const removed = await t.request("POST", `/api/v1/parts/${stocked.id}/stock/remove`, {
      removals: [{ boxNo: first, locNo: 10, qty: 7 }],
    });
    expect(removed.status).toBe(200);
    const summary = (await list()).find((item) => item.id === stocked.id)!;
    expect(summary).toMatchObject({ totalQty: 8, locationCodes: [`${first}-2`, `${second}-2`] });
    const full = PartSchema.parse((await t.request("GET", `/api/v1/parts/${stocked.id}`)).body);
    expect(full.totalQty).toBe(summary.totalQty);
    expect(full.locations.map((slot) => slot.code)).toEqual(summary.locationCodes);
    await expectLedgerConsistent(t);
  });
});

describe("list", () => {
  let app: TestApp;
  let relay: number;
  let box: number;
  beforeAll(async () => {
    app = await createTestApp({
      deps: { newPartId: queuedIds("BBBB", "DDDD", "FFFF", "HHHH", "JJJJ", "LLLL", "NNNN") },
    });
    relay = await typeIdByName(app, "Relay");
    box = await newBox(app, 10);
    await newPart(app, { description: "b", typeId: relay, tags: ["Coil"] });
    await newPart(app, { description: "d", initialStock: [{ boxNo: box, locNo: 1, qty: 5 }] });
    await newPart(app, { description: "f", typeId: relay, tags: ["coil", "smd"] });
    await newPart(app, { description: "h", initialStock: [{ boxNo: box, locNo: 2, qty: 1 }] });
    await newPart(app, { description: "j", typeId: relay });
    await newPart(app, { description: "l" });
    await newPart(app, { description: "n", tags: ["SMD"] });
  }, 30_000);
  afterAll(() => app.close());

  async function list(query: string) {
    const res = await app.request("GET", `/api/v1/parts${query}`);
    expect(res.status).toBe(200);
    return PartListSchema.parse(res.body);
  }
  const ids = (page: { items: { id: string }[] }) => page.items.map((part) => part.id);

  test("filters by type, tag (any case) and stock", async () => {
    expect(ids(await list(`?typeId=${relay}`))).toEqual(["BBBB", "FFFF", "JJJJ"]);
    expect(ids(await list("?tag=COIL"))).toEqual(["BBBB", "FFFF"]);
    expect(ids(await list(`?tag=smd&typeId=${relay}`))).toEqual(["FFFF"]);
    const stocked = await list("?inStock=true");
    expect(ids(stocked)).toEqual(["DDDD", "HHHH"]);
    expect(stocked.items[0]).toMatchObject({ totalQty: 5, locationCodes: [`${box}-1`] });
    expect(ids(await list("?inStock=false"))).toEqual(["BBBB", "FFFF", "JJJJ", "LLLL", "NNNN"]);
    const all = await list("");
    expect(all.nextCursor).toBeNull();
    expect(ids(all)).toHaveLength(7);
  });

  test("sorts by creation time both ways", async () => {
    expect(ids(await list("?sort=createdAt"))).toEqual(ids(await list("?sort=id")));
    expect(ids(await list("?sort=-createdAt"))).toEqual(ids(await list("?sort=id")).reverse());
  });

  test("pages neither repeat nor skip while parts are created between them", async () => {
    const inserts = queuedIds("AAAA", "CCCC", "ZZZZ", "EEEE", "YYYY", "KKKK");
    app.deps.newPartId = inserts;
    for (const sort of ["id", "createdAt", "-createdAt"]) {
      const before = ids(await list(`?sort=${sort}&limit=200`));
      const seen: string[] = [];
      let cursor: string | null = "";
      while (cursor !== null) {
        const suffix: string = cursor ? `&cursor=${cursor}` : "";
        const page = await list(`?sort=${sort}&limit=2${suffix}`);
        seen.push(...ids(page));
        cursor = page.nextCursor;
        if (cursor) await newPart(app, { description: `between ${sort}` });
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
    }
  });

  test("bad paging input is 400 naming the parameter", async () => {
    await expectGetRejects(app, "/api/v1/parts", [
      ["?limit=0", "limit"],
      ["?limit=201", "limit"],
      ["?sort=name", "sort"],
      ["?inStock=yes", "inStock"],
      ["?typeId=x", "typeId"],
      ["?cursor=%%%", "cursor"],
      ["?cursor=bm90LWpzb24", "cursor"],
    ]);
    const page = await list("?sort=id&limit=1");
    const crossed = await app.request<ProblemBody>(
      "GET",
      `/api/v1/parts?sort=createdAt&cursor=${page.nextCursor}`,
    );
    expect(crossed.status).toBe(400);
    expect(crossed.body.errors?.[0]?.path).toBe("cursor");
  });
});
