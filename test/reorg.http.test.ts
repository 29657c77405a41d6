import { afterEach, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { enqueueJob } from "../src/modules/jobs/jobs.repo";
import { reorgPlanJob } from "../src/modules/reorg/reorg.jobs";
import { deleteExpiredPlans } from "../src/modules/reorg/reorg.maintenance";
import {
  ReorgApplyResultSchema,
  ReorgDashboardSchema,
  ReorgPlanAcceptedSchema,
  ReorgPlanSchema,
} from "../src/modules/reorg/reorg.schemas";
import { queryRows } from "../src/platform/db";
import { createTestApp, type ProblemBody, type TestApp } from "./support/app";
import { expectLedgerConsistent, newBox, newPart, slotOf, typeIdByName } from "./support/inventory";
import { waitForJob } from "./support/jobs";

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** Every test plans over the whole layout, so each gets its own database. */
async function freshApp() {
  // `jobs: {}`: with TEST_AMQP_URL the plan jobs go through RabbitMQ.
  const t = await createTestApp({ jobs: {} });
  apps.push(t);
  return t;
}

/**
 * Three boxes of 8 with relays, sensors, an LED and an untyped part scattered over them:
 * relays span 3 boxes (lower bound 1), sensors 3 (1), the LED 1 (1), untyped 1 (1).
 */
async function seedLayout(t: TestApp) {
  const relay = await typeIdByName(t, "Relay");
  const sensor = await typeIdByName(t, "Sensor");
  const led = await typeIdByName(t, "LED");
  const boxes = [await newBox(t, 8), await newBox(t, 8), await newBox(t, 8)];
  const [b1, b2, b3] = boxes as [number, number, number];
  const part = async (typeId: number | undefined, boxNo: number, locNo: number, qty: number) =>
    (await newPart(t, { typeId, initialStock: [{ boxNo, locNo, qty }] })).id;
  const parts = {
    r1: await part(relay, b1, 1, 5),
    s1: await part(sensor, b1, 2, 3),
    r2: await part(relay, b1, 4, 7),
    s2: await part(sensor, b2, 1, 2),
    r3: await part(relay, b2, 2, 20),
    l1: await part(led, b2, 5, 9),
    r4: await part(relay, b3, 3, 1),
    s3: await part(sensor, b3, 6, 4),
    u1: await part(undefined, b3, 8, 2),
  };
  return { relay, sensor, led, boxes, parts };
}

type Plan = ReturnType<typeof ReorgPlanSchema.parse>;

async function createPlan(t: TestApp, body: unknown = {}) {
  const res = await t.request<Record<string, unknown>>("POST", "/api/v1/reorg/plans", body);
  expect(res.status).toBe(202);
  const accepted = ReorgPlanAcceptedSchema.parse(res.body);
  expect(res.headers.get("Location")).toBe(`/api/v1/jobs/${accepted.id}`);
  expect(accepted.kind).toBe("reorg.plan");
  return accepted;
}

/** Creates a plan, waits for its job and answers the ready plan. */
async function readyPlan(t: TestApp, body: unknown = {}): Promise<Plan> {
  const accepted = await createPlan(t, body);
  const job = await waitForJob(t, accepted.id);
  expect(job.status).toBe("succeeded");
  const plan = await getPlan(t, accepted.planId);
  expect(plan.status).toBe("ready");
  expect(job.result).toEqual({ planId: plan.id, status: "ready", moves: plan.moves.length });
  return plan;
}

async function getPlan(t: TestApp, planId: string) {
  const res = await t.request("GET", `/api/v1/reorg/plans/${planId}`);
  expect(res.status).toBe(200);
  return ReorgPlanSchema.parse(res.body);
}

function apply(t: TestApp, planId: string, body?: unknown, headers?: Record<string, string>) {
  return t.request<Record<string, unknown> & ProblemBody>(
    "POST",
    `/api/v1/reorg/plans/${planId}/apply`,
    body,
    headers,
  );
}

/** What every slot holds, straight from the database. */
async function snapshot(t: TestApp) {
  const rows = await queryRows(
    t.deps.db,
    sql`select box_no, loc_no, part_id, qty from locations where part_id is not null
        order by box_no, loc_no`,
  );
  return JSON.stringify(rows);
}

async function ledgerCount(t: TestApp, reason?: string) {
  const where = reason ? sql`where reason = ${reason}` : sql``;
  const [row] = await queryRows<{ n: number }>(
    t.deps.db,
    sql`select count(*)::int as n from stock_ledger ${where}`,
  );
  return row!.n;
}

describe("planning", () => {
  test("a plan is accepted with its job, computed by the worker and ready with moves", async () => {
    const t = await freshApp();
    await seedLayout(t);
    const accepted = await createPlan(t, { maxMoves: null });
    expect(accepted.status).toBe("queued");
    const pending = await t.request<Plan>("GET", `/api/v1/reorg/plans/${accepted.planId}`);
    expect(pending.status).toBe(200);
    expect(pending.body.jobId).toBe(accepted.id);
    await waitForJob(t, accepted.id);
    const plan = await getPlan(t, accepted.planId);
    expect(plan).toMatchObject({ status: "ready", maxMoves: null, typeIds: null, error: null });
    expect(Date.parse(plan.expiresAt) - Date.parse(plan.createdAt)).toBe(24 * 3600 * 1000);
    expect(plan.moves.length).toBeGreaterThan(0);
    plan.moves.forEach((move, index) => {
      expect(move.step).toBe(index + 1);
      expect(move.applied).toBe(false);
      expect(move.reason).toStartWith(
        `Move ${move.qty} of ${move.partId} from ${move.from.code} to ${move.to.code} to `,
      );
    });
    expect(plan.metrics!.before).toMatchObject({ boxesSpanned: 8, lowerBound: 4, types: 4 });
    expect(plan.metrics!.after).toMatchObject({ boxesSpanned: 4, lowerBound: 4, gaps: 0 });
    expect(plan.metrics!.idealMoves).toBe(plan.moves.length);
  });

  test("maxMoves caps the moves; typeIds limits what moves", async () => {
    const t = await freshApp();
    const { sensor } = await seedLayout(t);
    const capped = await readyPlan(t, { maxMoves: 1 });
    expect(capped.moves).toHaveLength(1);
    expect(capped.metrics!.after.boxesSpanned).toBe(capped.metrics!.before.boxesSpanned - 1);
    const defaults = await readyPlan(t);
    expect(defaults.maxMoves).toBe(50);
    const noBody = await t.request<{ planId: string }>("POST", "/api/v1/reorg/plans");
    expect(noBody.status).toBe(202);
    expect((await getPlan(t, noBody.body.planId)).maxMoves).toBe(50);
    const sensors = await readyPlan(t, { typeIds: [sensor], maxMoves: null });
    expect(sensors.typeIds).toEqual([sensor]);
    expect(sensors.moves.length).toBeGreaterThan(0);
    const sensorIds = new Set(
      (
        await t.request<{ items: { id: string }[] }>("GET", `/api/v1/parts?typeId=${sensor}`)
      ).body.items.map((p) => p.id),
    );
    for (const move of sensors.moves) expect(sensorIds.has(move.partId)).toBe(true);
    expect(sensors.metrics!.before).toMatchObject({ types: 1, boxesSpanned: 3, lowerBound: 1 });
  });

  test("the job is idempotent: running it again keeps the stored moves", async () => {
    const t = await freshApp();
    await seedLayout(t);
    const plan = await readyPlan(t, { maxMoves: null });
    const again = await reorgPlanJob.handle(t.deps, { planId: plan.id }, async () => {});
    expect(again).toEqual({ planId: plan.id, status: "ready", moves: plan.moves.length });
    expect(await getPlan(t, plan.id)).toEqual(plan);
    const missing = reorgPlanJob.handle(
      t.deps,
      { planId: "00000000-0000-4000-8000-000000000000" },
      async () => {},
    );
    expect(missing).rejects.toThrow("does not exist");
  });

  test("a pending plan whose job failed for good reads failed and cannot be applied", async () => {
    const t = await freshApp();
    const { db } = t.deps;
    // A job that fails at once (it names a plan that does not exist), tied to a plan.
    const job = await enqueueJob(db, reorgPlanJob, {
      planId: "00000000-0000-4000-8000-000000000000",
    });
    const id = "6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e9";
    await db.execute(
      sql`insert into reorg_plans (id, max_moves, job_id) values (${id}, 50, ${job.id})`,
    );
    expect((await waitForJob(t, job.id)).status).toBe("failed");
    const plan = await getPlan(t, id);
    expect(plan).toMatchObject({ status: "failed", jobId: job.id });
    expect(plan.error).toContain("does not exist");
    const res = await apply(t, id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("reorg.plan_not_ready");
    expect(res.body.detail).toContain("failed to compute");
  });
});

describe("applying", () => {
  test("moves the stock, writes reorg ledger rows and reaches the planned metrics", async () => {
    const t = await freshApp();
    const { parts } = await seedLayout(t);
    const plan = await readyPlan(t, { maxMoves: null });
    const res = await apply(t, plan.id);
    expect(res.status).toBe(200);
    const result = ReorgApplyResultSchema.parse(res.body);
    expect(result.status).toBe("applied");
    expect(result.appliedNow).toEqual(plan.moves.map((m) => m.id));
    expect(result.alreadyApplied).toEqual([]);
    expect(result.moves.every((m) => m.applied && m.appliedAt !== null)).toBe(true);
    for (const move of plan.moves.filter((m) => m.goal !== "room")) {
      const last = plan.moves.findLast((m) => m.partId === move.partId)!;
      expect(await slotOf(t, last.to.boxNo, last.to.locNo)).toMatchObject({ id: move.partId });
    }
    expect(await ledgerCount(t, "reorg")).toBe(plan.moves.length * 2);
    const history = await t.request<{ items: { reason: string; refId: string }[] }>(
      "GET",
      `/api/v1/parts/${plan.moves[0]!.partId}/history`,
    );
    expect(history.body.items[0]).toMatchObject({ reason: "reorg", refId: plan.id });
    await expectLedgerConsistent(t);
    const dashboard = ReorgDashboardSchema.parse(
      (await t.request("GET", "/api/v1/reorg/dashboard")).body,
    );
    expect(dashboard.totals).toEqual(plan.metrics!.after);
    const relays = dashboard.items.find((row) => row.typeName === "Relay")!;
    expect(relays).toMatchObject({ boxesSpanned: 1, lowerBound: 1, slotsUsed: 4, parts: 4 });
    // The relay that sat alone among sensors now sits with the other relays.
    const r3 = await t.request<{ locations: { boxNo: number }[] }>(
      "GET",
      `/api/v1/parts/${parts.r3}`,
    );
    expect(r3.body.locations[0]!.boxNo).toBe(relays.boxes[0]!);
  });

  test("a move that no longer fits the stock is 409 and nothing is applied", async () => {
    const t = await freshApp();
    await seedLayout(t);
    const stalePlan = await readyPlan(t, { maxMoves: null });
    const last = stalePlan.moves.at(-1)!;
    // Someone takes one unit out of the last move's source slot after planning.
    const removed = await t.request("POST", `/api/v1/parts/${last.partId}/stock/remove`, {
      removals: [{ boxNo: last.from.boxNo, locNo: last.from.locNo, qty: 1 }],
    });
    expect(removed.status).toBe(200);
    const before = await snapshot(t);
    const ledgerBefore = await ledgerCount(t);
    const res = await apply(t, stalePlan.id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("reorg.moves_stale");
    expect(res.body.detail).toContain(`Step ${last.step} (${last.qty} of ${last.partId}`);
    expect(res.body.detail).toContain(`${last.from.code} holds ${last.qty - 1} of ${last.partId}`);
    expect(await snapshot(t)).toBe(before);
    expect(await ledgerCount(t)).toBe(ledgerBefore);
    expect((await getPlan(t, stalePlan.id)).moves.some((m) => m.applied)).toBe(false);
  });

  test("a target slot taken by another part after planning is 409 naming it", async () => {
    const t = await freshApp();
    await seedLayout(t);
    const plan = await readyPlan(t, { maxMoves: null });
    const first = plan.moves[0]!;
    const intruder = await newPart(t, {
      initialStock: [{ boxNo: first.to.boxNo, locNo: first.to.locNo, qty: 1 }],
    });
    const before = await snapshot(t);
    const res = await apply(t, plan.id);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain(`${first.to.code} holds 1 of ${intruder.id}`);
    expect(await snapshot(t)).toBe(before);
  });

  test("applying again is harmless; chosen moves apply on their own", async () => {
    const t = await freshApp();
    await seedLayout(t);
    const plan = await readyPlan(t, { maxMoves: null });
    const [first, ...rest] = plan.moves;
    const one = await apply(t, plan.id, { moveIds: [first!.id.toUpperCase()] });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ status: "ready", appliedNow: [first!.id] });
    expect(await ledgerCount(t, "reorg")).toBe(2);
    const all = await apply(t, plan.id);
    expect(all.body).toMatchObject({
      status: "applied",
      appliedNow: rest.map((m) => m.id),
      alreadyApplied: [first!.id],
    });
    const ledger = await ledgerCount(t);
    const state = await snapshot(t);
    const again = await apply(t, plan.id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: "applied", appliedNow: [] });
    expect(again.body.alreadyApplied).toHaveLength(plan.moves.length);
    expect(await ledgerCount(t)).toBe(ledger);
    expect(await snapshot(t)).toBe(state);
    await expectLedgerConsistent(t);
  });

  test("two concurrent applies of one plan: one applies, the other skips", async () => {
    const t = await freshApp();
    await seedLayout(t);
    const plan = await readyPlan(t, { maxMoves: null });
    const [a, b] = await Promise.all([apply(t, plan.id), apply(t, plan.id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const applied = [a, b].map((r) => (r.body.appliedNow as string[]).length).sort();
    expect(applied).toEqual([0, plan.moves.length]);
    expect(await ledgerCount(t, "reorg")).toBe(plan.moves.length * 2);
    await expectLedgerConsistent(t);
  });

  test("Idempotency-Key: a retry answers the first response and changes nothing", async () => {
    const t = await freshApp();
    await seedLayout(t);
    const plan = await readyPlan(t, { maxMoves: null });
    const headers = { "Idempotency-Key": "reorg-apply-1" };
    const first = await apply(t, plan.id, {}, headers);
    expect(first.status).toBe(200);
    const ledger = await ledgerCount(t);
    const retry = await apply(t, plan.id, {}, headers);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await ledgerCount(t)).toBe(ledger);
    const otherBody = await apply(t, plan.id, { moveIds: [plan.moves[0]!.id] }, headers);
    expect(otherBody.status).toBe(409);
    expect(otherBody.body.code).toBe("idempotency.key_reused");
  });

  test("an expired plan is 409; the maintenance task marks it and later deletes it", async () => {
    const t = await freshApp();
    await seedLayout(t);
    const plan = await readyPlan(t, { maxMoves: null });
    const { db } = t.deps;
    await db.execute(
      sql`update reorg_plans set expires_at = now() - interval '1 minute' where id = ${plan.id}`,
    );
    expect((await getPlan(t, plan.id)).status).toBe("expired");
    const before = await snapshot(t);
    const res = await apply(t, plan.id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("reorg.plan_expired");
    expect(await snapshot(t)).toBe(before);
    await deleteExpiredPlans.run(t.deps);
    const stored = await queryRows(db, sql`select status from reorg_plans where id = ${plan.id}`);
    expect(stored).toEqual([{ status: "expired" }]);
    await db.execute(
      sql`update reorg_plans set expires_at = now() - interval '8 days' where id = ${plan.id}`,
    );
    await deleteExpiredPlans.run(t.deps);
    expect((await t.request("GET", `/api/v1/reorg/plans/${plan.id}`)).status).toBe(404);
    const moves = await queryRows(db, sql`select id from reorg_moves where plan_id = ${plan.id}`);
    expect(plan.moves.length).toBeGreaterThan(0);
    expect(moves).toEqual([]);
  });

  test("a plan that is not computed yet is 409", async () => {
    const t = await freshApp();
    const id = "6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8";
    await t.deps.db.execute(sql`insert into reorg_plans (id, max_moves) values (${id}, 50)`);
    const res = await apply(t, id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("reorg.plan_not_ready");
    expect((await getPlan(t, id)).status).toBe("pending");
  });
});

describe("dashboard", () => {
  test("per type: boxes spanned, lower bound, slots used and parts", async () => {
    const t = await freshApp();
    const { relay, sensor, led, boxes } = await seedLayout(t);
    const res = await t.request("GET", "/api/v1/reorg/dashboard");
    expect(res.status).toBe(200);
    const dashboard = ReorgDashboardSchema.parse(res.body);
    const row = (typeId: number | null) => dashboard.items.find((r) => r.typeId === typeId);
    expect(row(relay)).toEqual({
      typeId: relay,
      typeName: "Relay",
      boxesSpanned: 3,
      lowerBound: 1,
      slotsUsed: 4,
      parts: 4,
      boxes,
    });
    expect(row(sensor)).toMatchObject({ boxesSpanned: 3, lowerBound: 1, slotsUsed: 3, parts: 3 });
    expect(row(led)).toMatchObject({ boxesSpanned: 1, lowerBound: 1, slotsUsed: 1, parts: 1 });
    expect(row(null)).toMatchObject({ typeName: null, boxesSpanned: 1, slotsUsed: 1 });
    expect(dashboard.items.find((r) => r.typeName === "Cable")).toMatchObject({
      boxesSpanned: 0,
      lowerBound: 0,
      slotsUsed: 0,
      parts: 0,
      boxes: [],
    });
    expect(dashboard.items.at(-1)!.typeId).toBeNull();
    expect(dashboard.totals).toMatchObject({
      boxesSpanned: 8,
      lowerBound: 4,
      slotsUsed: 9,
      boxesUsed: 3,
    });
  });
});

describe("bad input and unknown plans", () => {
  test("invalid bodies and ids are 400 naming the field", async () => {
    const t = await freshApp();
    const cases: [unknown, string][] = [
      [{ maxMoves: -1 }, "maxMoves"],
      [{ maxMoves: 1.5 }, "maxMoves"],
      [{ maxMoves: "10" }, "maxMoves"],
      [{ maxMoves: 2_000_000 }, "maxMoves"],
      [{ typeIds: [] }, "typeIds"],
      [{ typeIds: [0] }, "typeIds.0"],
      [{ typeIds: [1, 1] }, "typeIds"],
      [{ typeIds: [1, 999_999] }, "typeIds.1"],
    ];
    for (const [body, path] of cases) {
      const res = await t.request<ProblemBody>("POST", "/api/v1/reorg/plans", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors?.[0]?.path, JSON.stringify(body)).toBe(path);
    }
    await seedLayout(t);
    const plan = await readyPlan(t);
    for (const [body, path] of [
      [{ moveIds: ["nope"] }, "moveIds.0"],
      [{ moveIds: [] }, "moveIds"],
      [{ moveIds: [plan.moves[0]!.id, "00000000-0000-4000-8000-000000000000"] }, "moveIds.1"],
    ] as const) {
      const res = await apply(t, plan.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors?.[0]?.path).toBe(path);
    }
    const badId = await t.request<ProblemBody>("GET", "/api/v1/reorg/plans/not-a-uuid");
    expect(badId.status).toBe(400);
    expect(badId.body.errors?.[0]?.path).toBe("planId");
  });

  test("an unknown plan is 404", async () => {
    const t = await freshApp();
    const id = "00000000-0000-4000-8000-000000000000";
    const got = await t.request<ProblemBody>("GET", `/api/v1/reorg/plans/${id}`);
    expect(got.status).toBe(404);
    expect(got.body.code).toBe("reorg.plan_not_found");
    expect((await apply(t, id)).status).toBe(404);
  });
});
