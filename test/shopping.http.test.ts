import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ShoppingItemPageSchema,
  ShoppingItemSchema,
} from "../src/modules/shopping/shopping.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

async function createItem(body: Record<string, unknown>) {
  const res = await t.request("POST", "/api/v1/shopping-list", body);
  expect(res.status).toBe(201);
  const item = ShoppingItemSchema.parse(res.body);
  expect(res.headers.get("Location")).toBe(`/api/v1/shopping-list/${item.id}`);
  return item;
}

describe("shopping list", () => {
  test("an item for a part not in the catalogue: create, read, update, delete", async () => {
    const item = await createItem({
      description: "  555 timer ",
      manufacturerCode: "NE555P",
      desiredQty: 5,
      seller: "LCSC",
      sellerLink: "https://www.lcsc.com/product/C46749",
    });
    expect(item).toMatchObject({
      partId: null,
      description: "555 timer",
      manufacturerCode: "NE555P",
      typeId: null,
      desiredQty: 5,
      notes: "",
      status: "open",
      projectId: null,
      requirementId: null,
    });
    const read = await t.request("GET", `/api/v1/shopping-list/${item.id}`);
    expect(ShoppingItemSchema.parse(read.body)).toEqual(item);

    const patched = await t.request("PATCH", `/api/v1/shopping-list/${item.id}`, {
      desiredQty: 8,
      notes: "cheaper at the fair",
      seller: null,
    });
    expect(patched.status).toBe(200);
    expect(ShoppingItemSchema.parse(patched.body)).toMatchObject({
      desiredQty: 8,
      notes: "cheaper at the fair",
      seller: null,
      description: "555 timer",
    });

    expect((await t.request("DELETE", `/api/v1/shopping-list/${item.id}`)).status).toBe(204);
    expect((await t.request("GET", `/api/v1/shopping-list/${item.id}`)).status).toBe(404);
    expect((await t.request("DELETE", `/api/v1/shopping-list/${item.id}`)).status).toBe(404);
    expect((await t.request("PATCH", `/api/v1/shopping-list/${item.id}`, {})).status).toBe(404);
  });

  test("the list pages in creation order and filters by status", async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createItem({ description: `Page item ${i}` }));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const res = await t.request("GET", `/api/v1/shopping-list?status=open&limit=2${query}`);
      expect(res.status).toBe(200);
      const page = ShoppingItemPageSchema.parse(res.body);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    for (const item of created) expect(seen).toContain(item.id);

    const received = await t.request("GET", "/api/v1/shopping-list?status=received");
    expect(ShoppingItemPageSchema.parse(received.body).items).toEqual([]);
  });

  test("bad input names each field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, "description"],
      [{ description: "x", desiredQty: 0 }, "desiredQty"],
      [{ description: "x", desiredQty: -3 }, "desiredQty"],
      [{ description: "x", desiredQty: 1.5 }, "desiredQty"],
      [{ description: "x", sellerLink: "ftp://example.com/x" }, "sellerLink"],
      [{ description: "x", typeId: 999_999 }, "typeId"],
      [{ partId: "ABC" }, "partId"],
      [{ partId: "ZZZZ" }, "partId"],
    ];
    for (const [body, path] of cases) {
      const res = await t.request<ProblemBody>("POST", "/api/v1/shopping-list", body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((error) => error.path)).toContain(path);
    }
    const badStatus = await t.request<ProblemBody>("GET", "/api/v1/shopping-list?status=lost");
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors?.[0]?.path).toBe("status");
    const badCursor = await t.request<ProblemBody>("GET", "/api/v1/shopping-list?cursor=nope");
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors?.[0]?.path).toBe("cursor");
    expect((await t.request("GET", "/api/v1/shopping-list/0")).status).toBe(400);
  });
});
