import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { locationsTable } from "../src/modules/boxes/boxes.table";
import { partsTable } from "../src/modules/parts/parts.table";
import { requirementsTable } from "../src/modules/projects/projects.table";
import { createTestApp, type TestApp, type TestResponse } from "./support/app";
import { expectLedgerConsistent, newBox, newPart } from "./support/inventory";

// Each race fires the competing requests at once, several rounds. Whatever order the
// database runs them in, every answer must be one of the documented ones (never a 500)
// and the stored state must agree with the answers.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t.close());

const ROUNDS = 5;

function expectStatuses(label: string, responses: TestResponse[], allowed: number[]) {
  for (const res of responses) {
    expect(allowed, `${label}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
    if (res.status >= 400) {
      expect(res.headers.get("Content-Type"), label).toBe("application/problem+json");
    }
  }
}

describe("deleting what a concurrent request refers to", () => {
  test("a type deleted while parts, boxes and shopping items are created with it", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const type = await t.request<{ id: number }>("POST", "/api/v1/types", {
        name: `Race type ${round}`,
      });
      const typeId = type.body.id;
      const [deleted, box, item, ...created] = await Promise.all([
        t.request("DELETE", `/api/v1/types/${typeId}`),
        t.request("POST", "/api/v1/boxes", { capacity: 1, designatedTypeId: typeId }),
        t.request("POST", "/api/v1/shopping-list", { description: "Racer", typeId }),
        ...Array.from({ length: 3 }, () =>
          t.request<{ id: string }>("POST", "/api/v1/parts", { description: "Racer", typeId }),
        ),
      ]);
      expectStatuses("delete type", [deleted!], [204, 409]);
      expectStatuses("create box", [box!], [201, 400]);
      expectStatuses("create shopping item", [item!], [201, 400]);
      expectStatuses("create part", created, [201, 400]);
      const made = created.filter((res) => res.status === 201).length;
      // Either the type went first (every create refused) or some part kept it alive.
      if (deleted!.status === 204) expect(made).toBe(0);
      else expect(made).toBeGreaterThan(0);
      const rows = await t.deps.db
        .select({ id: partsTable.id })
        .from(partsTable)
        .where(eq(partsTable.typeId, typeId));
      expect(rows).toHaveLength(made);
    }
  });

  test("a part deleted while stock is added to it", async () => {
    const box = await newBox(t, 10);
    for (let round = 0; round < ROUNDS; round++) {
      const part = await newPart(t);
      const [deleted, ...added] = await Promise.all([
        t.request("DELETE", `/api/v1/parts/${part.id}`),
        ...[1, 2, 3].map((offset) =>
          t.request("POST", `/api/v1/parts/${part.id}/stock/add`, {
            boxNo: box,
            locNo: ((round * 3 + offset) % 10) + 1,
            qty: 2,
          }),
        ),
      ]);
      expectStatuses("delete part", [deleted!], [204, 409]);
      expectStatuses("add stock", added, [200, 404, 409]);
      const stocked = added.some((res) => res.status === 200);
      expect(deleted!.status).toBe(stocked ? 409 : 204);
      if (stocked) {
        await t.request("POST", `/api/v1/parts/${part.id}/stock/remove`, {
          removals: (
            await t.deps.db
              .select({ boxNo: locationsTable.boxNo, locNo: locationsTable.locNo })
              .from(locationsTable)
              .where(eq(locationsTable.partId, part.id))
          ).map((slot) => ({ ...slot, qty: 2 })),
        });
      }
    }
    await expectLedgerConsistent(t);
  });

  test("a part deleted while a project requirement and a shopping item are created for it", async () => {
    const project = await t.request<{ id: number }>("POST", "/api/v1/projects", { name: "R" });
    for (let round = 0; round < ROUNDS; round++) {
      const part = await newPart(t);
      const [deleted, required, listed] = await Promise.all([
        t.request("DELETE", `/api/v1/parts/${part.id}`),
        t.request("POST", `/api/v1/projects/${project.body.id}/requirements`, {
          partId: part.id,
          requiredQty: 1,
        }),
        t.request("POST", "/api/v1/shopping-list", { partId: part.id }),
      ]);
      expectStatuses("delete part", [deleted!], [204, 409]);
      expectStatuses("create requirement", [required!], [201, 400]);
      expectStatuses("create shopping item", [listed!], [201, 400]);
      // A requirement keeps its part: both cannot have succeeded.
      expect([deleted!.status, required!.status]).not.toEqual([204, 201]);
      const rows = await t.deps.db
        .select({ id: requirementsTable.id })
        .from(requirementsTable)
        .where(eq(requirementsTable.partId, part.id));
      expect(rows).toHaveLength(required!.status === 201 ? 1 : 0);
    }
  });
});

describe("deleting a project while requirements are added to it", () => {
  test("the requirement is created first or answered 404, never a 500", async () => {
    const part = await newPart(t);
    for (let round = 0; round < ROUNDS; round++) {
      const project = await t.request<{ id: number }>("POST", "/api/v1/projects", { name: "P" });
      const base = `/api/v1/projects/${project.body.id}`;
      const [deleted, ...added] = await Promise.all([
        t.request("DELETE", base),
        t.request("POST", `${base}/requirements`, { partId: part.id, requiredQty: 1 }),
        t.request("POST", `${base}/requirements`, {
          placeholder: { manufacturerCode: "X1", description: "X" },
          requiredQty: 1,
        }),
      ]);
      expectStatuses("delete project", [deleted!], [204]);
      expectStatuses("create requirement", added, [201, 404]);
    }
  });
});

describe("changing the same thing at once", () => {
  test("a box shrinking while stock is added to a slot it removes", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const box = await newBox(t, 10);
      const part = await newPart(t);
      const [shrunk, added] = await Promise.all([
        t.request("PATCH", `/api/v1/boxes/${box}`, { capacity: 5 }),
        t.request("POST", `/api/v1/parts/${part.id}/stock/add`, { boxNo: box, locNo: 8, qty: 1 }),
      ]);
      expectStatuses("shrink", [shrunk!], [200, 409]);
      expectStatuses("add", [added!], [200, 404]);
      // Exactly one wins: the add (and the shrink is refused) or the shrink (the slot is gone).
      expect([shrunk!.status, added!.status]).toContainEqual(shrunk!.status === 200 ? 404 : 200);
      const after = await t.request<{ capacity: number; locations: unknown[] }>(
        "GET",
        `/api/v1/boxes/${box}`,
      );
      expect(after.body.capacity).toBe(shrunk!.status === 200 ? 5 : 10);
      expect(after.body.locations).toHaveLength(after.body.capacity);
    }
    await expectLedgerConsistent(t);
  });

  test("the same type name created twice, the same part required twice", async () => {
    const types = await Promise.all(
      [1, 2, 3].map(() => t.request("POST", "/api/v1/types", { name: "Twin" })),
    );
    expectStatuses("create type", types, [201, 409]);
    expect(types.filter((res) => res.status === 201)).toHaveLength(1);

    const part = await newPart(t);
    const project = await t.request<{ id: number }>("POST", "/api/v1/projects", { name: "T" });
    const requirements = await Promise.all(
      [1, 2, 3].map(() =>
        t.request("POST", `/api/v1/projects/${project.body.id}/requirements`, {
          partId: part.id,
          requiredQty: 1,
        }),
      ),
    );
    expectStatuses("create requirement", requirements, [201, 409]);
    expect(requirements.filter((res) => res.status === 201)).toHaveLength(1);
  });

  test("one shopping-list item received by several requests at once", async () => {
    const box = await newBox(t, 3);
    const item = await t.request<{ id: number }>("POST", "/api/v1/shopping-list", {
      description: "Twice received",
      desiredQty: 4,
    });
    const receipts = await Promise.all(
      [1, 2, 3].map(() =>
        t.request("POST", `/api/v1/shopping-list/${item.body.id}/receive`, {
          locations: [{ boxNo: box, locNo: 1, qty: 4 }],
        }),
      ),
    );
    expectStatuses("receive", receipts, [200, 409]);
    expect(receipts.filter((res) => res.status === 200)).toHaveLength(1);
    const slot = await t.request<{ part: { qty: number } }>("GET", `/api/v1/locations/${box}-1`);
    expect(slot.body.part.qty).toBe(4);
    await expectLedgerConsistent(t);
  });
});
