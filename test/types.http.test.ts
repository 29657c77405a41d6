import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TypeListSchema, TypeSchema } from "../src/modules/types/types.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

describe("types", () => {
  test("a new database starts with the default types, each unused", async () => {
    const res = await t.request("GET", "/api/v1/types");
    expect(res.status).toBe(200);
    const { items } = TypeListSchema.parse(res.body);
    expect(items.map((type) => type.name).sort()).toEqual(
      [
        "Cable",
        "Capacitor",
        "Connector",
        "IC",
        "LED",
        "Mechanical",
        "Microcontroller",
        "Power Module",
        "Relay",
        "Resistor",
        "Sensor",
      ].sort(),
    );
    expect(items.every((type) => type.partCount === 0)).toBe(true);
  });

  test("create answers 201 with Location, then get, rename and delete", async () => {
    const created = await t.request("POST", "/api/v1/types", { name: "  Crystal  " });
    expect(created.status).toBe(201);
    const type = TypeSchema.parse(created.body);
    expect(type).toMatchObject({ name: "Crystal", partCount: 0 });
    expect(created.headers.get("Location")).toBe(`/api/v1/types/${type.id}`);

    const fetched = await t.request("GET", `/api/v1/types/${type.id}`);
    expect(fetched.body).toEqual(type);

    const renamed = await t.request("PATCH", `/api/v1/types/${type.id}`, { name: "Oscillator" });
    expect(renamed.status).toBe(200);
    expect(TypeSchema.parse(renamed.body).name).toBe("Oscillator");

    expect((await t.request("DELETE", `/api/v1/types/${type.id}`)).status).toBe(204);
    expect((await t.request("GET", `/api/v1/types/${type.id}`)).status).toBe(404);
  });

  test("a duplicate name, in any case, is 409", async () => {
    const res = await t.request<ProblemBody>("POST", "/api/v1/types", { name: "relay" });
    expect(res.status).toBe(409);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(res.body.code).toBe("types.name_taken");

    const other = await t.request<{ id: number }>("POST", "/api/v1/types", { name: "Fuse" });
    const rename = await t.request<ProblemBody>("PATCH", `/api/v1/types/${other.body.id}`, {
      name: "LED",
    });
    expect(rename.status).toBe(409);
  });

  test("invalid input names the field", async () => {
    const empty = await t.request<ProblemBody>("POST", "/api/v1/types", { name: "   " });
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0]?.path).toBe("name");

    const long = await t.request<ProblemBody>("POST", "/api/v1/types", { name: "x".repeat(61) });
    expect(long.status).toBe(400);
    expect(long.body.errors?.[0]?.path).toBe("name");

    const badId = await t.request<ProblemBody>("GET", "/api/v1/types/abc");
    expect(badId.status).toBe(400);
    expect(badId.body.errors?.[0]?.path).toBe("typeId");
  });

  test("unknown ids are 404 for get, rename and delete", async () => {
    expect((await t.request("GET", "/api/v1/types/99999")).status).toBe(404);
    expect((await t.request("PATCH", "/api/v1/types/99999", { name: "Nope" })).status).toBe(404);
    expect((await t.request("DELETE", "/api/v1/types/99999")).status).toBe(404);
  });
});
