import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { BoxDetailSchema, BoxListSchema, LocationSchema } from "../src/modules/boxes/boxes.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

async function createBox(body: Record<string, unknown>) {
  const res = await t.request("POST", "/api/v1/boxes", body);
  expect(res.status).toBe(201);
  return BoxDetailSchema.parse(res.body);
}

describe("boxes", () => {
  test("create numbers boxes sequentially and creates slots 1..capacity", async () => {
    const first = await createBox({ description: "Relays", capacity: 60 });
    const second = await createBox({ capacity: 4 });
    expect(second.boxNo).toBe(first.boxNo + 1);
    expect(first.locations).toHaveLength(60);
    expect(first.locations[0]).toEqual({ locNo: 1, code: `${first.boxNo}-1`, part: null });
    expect(first.locations[59]?.code).toBe(`${first.boxNo}-60`);
    expect(first).toMatchObject({ capacity: 60, occupied: 0, free: 60, usagePercent: 0 });

    const list = BoxListSchema.parse((await t.request("GET", "/api/v1/boxes")).body);
    expect(list.items.map((box) => box.boxNo)).toContain(second.boxNo);
    const detail = await t.request("GET", `/api/v1/boxes/${second.boxNo}`);
    expect(BoxDetailSchema.parse(detail.body).locations.map((slot) => slot.locNo)).toEqual([
      1, 2, 3, 4,
    ]);
  });

  test("10 parallel creations get 10 distinct consecutive numbers", async () => {
    const boxes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.request<{ boxNo: number }>("POST", "/api/v1/boxes", {
          capacity: 2,
          description: `p${i}`,
        }),
      ),
    );
    expect(boxes.every((res) => res.status === 201)).toBe(true);
    const numbers = boxes.map((res) => res.body.boxNo).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(10);
    expect(numbers[9]! - numbers[0]!).toBe(9);
  });

  test("a designated type must exist", async () => {
    const types = (
      await t.request<{ items: { id: number; name: string }[] }>("GET", "/api/v1/types")
    ).body.items;
    const relay = types.find((type) => type.name === "Relay")!;
    const box = await createBox({ capacity: 2, designatedTypeId: relay.id });
    expect(box.designatedTypeId).toBe(relay.id);

    const bad = await t.request<ProblemBody>("POST", "/api/v1/boxes", {
      capacity: 2,
      designatedTypeId: 999_999,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("designatedTypeId");
  });

  test("invalid input names each bad field", async () => {
    const res = await t.request<ProblemBody>("POST", "/api/v1/boxes", {
      capacity: 1001,
      description: 5,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((error) => error.path).sort()).toEqual(["capacity", "description"]);

    for (const capacity of [0, 2.5, "10"]) {
      const bad = await t.request<ProblemBody>("POST", "/api/v1/boxes", { capacity });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.[0]?.path).toBe("capacity");
    }
    expect((await t.request("GET", "/api/v1/boxes/0")).status).toBe(400);
    expect((await t.request("GET", "/api/v1/boxes/x")).status).toBe(400);
  });

  test("capacity grows and shrinks; description and type can be cleared", async () => {
    const box = await createBox({ capacity: 3, description: "Misc" });
    const grown = await t.request("PATCH", `/api/v1/boxes/${box.boxNo}`, { capacity: 5 });
    expect(grown.status).toBe(200);
    expect(BoxDetailSchema.parse(grown.body).locations).toHaveLength(5);

    const shrunk = await t.request("PATCH", `/api/v1/boxes/${box.boxNo}`, {
      capacity: 2,
      description: "",
      designatedTypeId: null,
    });
    const body = BoxDetailSchema.parse(shrunk.body);
    expect(body.locations.map((slot) => slot.code)).toEqual([`${box.boxNo}-1`, `${box.boxNo}-2`]);
    expect(body).toMatchObject({ capacity: 2, description: "", designatedTypeId: null, free: 2 });
    expect(new Date(body.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(box.updatedAt).getTime(),
    );
    const gone = await t.request("GET", `/api/v1/locations/${box.boxNo}-3`);
    expect(gone.status).toBe(404);
  });

  test("unknown boxes are 404 for get, update and delete", async () => {
    expect((await t.request("GET", "/api/v1/boxes/424242")).status).toBe(404);
    expect((await t.request("PATCH", "/api/v1/boxes/424242", { capacity: 3 })).status).toBe(404);
    expect((await t.request("DELETE", "/api/v1/boxes/424242")).status).toBe(404);
  });

  test("an empty box can be deleted, with its slots", async () => {
    const box = await createBox({ capacity: 2 });
    expect((await t.request("DELETE", `/api/v1/boxes/${box.boxNo}`)).status).toBe(204);
    expect((await t.request("GET", `/api/v1/boxes/${box.boxNo}`)).status).toBe(404);
    expect((await t.request("GET", `/api/v1/locations/${box.boxNo}-1`)).status).toBe(404);
  });
});

describe("locations", () => {
  test("a slot is addressed by its code", async () => {
    const box = await createBox({ capacity: 8 });
    const res = await t.request("GET", `/api/v1/locations/${box.boxNo}-8`);
    expect(res.status).toBe(200);
    expect(LocationSchema.parse(res.body)).toEqual({
      boxNo: box.boxNo,
      locNo: 8,
      code: `${box.boxNo}-8`,
      part: null,
    });
  });

  test("malformed codes are 400 naming the code, unknown slots 404", async () => {
    for (const code of ["7", "7-", "-3", "a-b", "7-3-1", "7.3"]) {
      const res = await t.request<ProblemBody>("GET", `/api/v1/locations/${code}`);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe("code");
    }
    expect((await t.request("GET", "/api/v1/locations/9999-1")).status).toBe(404);
    expect((await t.request("GET", "/api/v1/locations/1-1000")).status).toBe(404);
  });
});
