import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  ProjectDetailSchema,
  ProjectPageSchema,
  RequirementSchema,
} from "../src/modules/projects/projects.schemas";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 30_000);
afterAll(() => t.close());

async function createProject(name: string) {
  const res = await t.request("POST", "/api/v1/projects", { name });
  expect(res.status).toBe(201);
  const project = ProjectDetailSchema.parse(res.body);
  expect(res.headers.get("Location")).toBe(`/api/v1/projects/${project.id}`);
  return project;
}

describe("projects", () => {
  test("create, list, rename and delete", async () => {
    const project = await createProject("Garage door opener");
    expect(project).toMatchObject({
      notes: "",
      requirementCount: 0,
      kits: 1,
      status: "enough",
      requirements: [],
    });
    const patched = await t.request("PATCH", `/api/v1/projects/${project.id}`, {
      name: "Gate opener",
      notes: "v2",
    });
    expect(ProjectDetailSchema.parse(patched.body)).toMatchObject({
      name: "Gate opener",
      notes: "v2",
    });
    const other = await createProject("Clock");
    const first = ProjectPageSchema.parse(
      (await t.request("GET", "/api/v1/projects?limit=1")).body,
    );
    expect(first.items).toHaveLength(1);
    const second = ProjectPageSchema.parse(
      (await t.request("GET", `/api/v1/projects?limit=1&cursor=${first.nextCursor}`)).body,
    );
    expect([first.items[0]?.id, second.items[0]?.id]).toEqual([project.id, other.id]);

    expect((await t.request("DELETE", `/api/v1/projects/${project.id}`)).status).toBe(204);
    expect((await t.request("GET", `/api/v1/projects/${project.id}`)).status).toBe(404);
    expect((await t.request("DELETE", `/api/v1/projects/${project.id}`)).status).toBe(404);
  });

  test("a placeholder requirement is missing for any number of kits", async () => {
    const project = await createProject("Timer");
    const res = await t.request("POST", `/api/v1/projects/${project.id}/requirements`, {
      placeholder: { manufacturerCode: "NE555P", description: "555 timer" },
      requiredQty: 2,
    });
    expect(res.status).toBe(201);
    const requirement = RequirementSchema.parse(res.body);
    expect(res.headers.get("Location")).toBe(
      `/api/v1/projects/${project.id}/requirements/${requirement.id}`,
    );
    expect(requirement).toMatchObject({
      partId: null,
      placeholder: { manufacturerCode: "NE555P", description: "555 timer" },
      requiredQty: 2,
      neededQty: 2,
      availableQty: 0,
      shortfall: 2,
      status: "missing",
      matchingPartId: null,
    });
    const detail = ProjectDetailSchema.parse(
      (await t.request("GET", `/api/v1/projects/${project.id}?kits=3`)).body,
    );
    expect(detail).toMatchObject({ kits: 3, status: "missing", requirementCount: 1 });
    expect(detail.requirements[0]).toMatchObject({ neededQty: 6, shortfall: 6 });
    const location = res.headers.get("Location") ?? "";
    const read = await t.request("GET", location);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(requirement);
    const forKits = await t.request("GET", `${location}?kits=3`);
    expect(RequirementSchema.parse(forKits.body)).toMatchObject({ neededQty: 6, shortfall: 6 });

    const patched = await t.request(
      "PATCH",
      `/api/v1/projects/${project.id}/requirements/${requirement.id}`,
      { requiredQty: 4 },
    );
    expect(RequirementSchema.parse(patched.body)).toMatchObject({ requiredQty: 4, shortfall: 4 });
    const removed = await t.request(
      "DELETE",
      `/api/v1/projects/${project.id}/requirements/${requirement.id}`,
    );
    expect(removed.status).toBe(204);
    const again = await t.request(
      "DELETE",
      `/api/v1/projects/${project.id}/requirements/${requirement.id}`,
    );
    expect(again.status).toBe(404);
    expect((await t.request("GET", location)).status).toBe(404);
  });

  test("requirements need exactly one of part and placeholder and a positive quantity", async () => {
    const project = await createProject("Bad input");
    const url = `/api/v1/projects/${project.id}/requirements`;
    const placeholder = { manufacturerCode: "X1", description: "x" };
    const cases: [Record<string, unknown>, string][] = [
      [{ requiredQty: 1 }, "partId"],
      [{ partId: "ABCD", placeholder, requiredQty: 1 }, "placeholder"],
      [{ placeholder, requiredQty: 0 }, "requiredQty"],
      [{ placeholder, requiredQty: -1 }, "requiredQty"],
      [
        { placeholder: { manufacturerCode: "", description: "x" }, requiredQty: 1 },
        "placeholder.manufacturerCode",
      ],
      [{ partId: "ZZZZ", requiredQty: 1 }, "partId"],
    ];
    for (const [body, path] of cases) {
      const res = await t.request<ProblemBody>("POST", url, body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((error) => error.path)).toContain(path);
    }
    expect(
      (
        await t.request("POST", "/api/v1/projects/999999/requirements", {
          placeholder,
          requiredQty: 1,
        })
      ).status,
    ).toBe(404);
    const bad = await t.request<ProblemBody>("POST", "/api/v1/projects", { name: "  " });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe("name");
    const badKits = await t.request<ProblemBody>("GET", `/api/v1/projects/${project.id}?kits=0`);
    expect(badKits.status).toBe(400);
    expect(badKits.body.errors?.[0]?.path).toBe("kits");
  });
});
