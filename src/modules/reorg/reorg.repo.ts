import { and, asc, count, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../platform/db";
import { boxesTable, locationsTable } from "../boxes/boxes.table";
import { partsTable } from "../parts/parts.table";
import { typesTable } from "../types/types.table";
import type { Layout, PlanMetrics, PlannedMove } from "./reorg.planner";
import { reorgMovesTable as moves, reorgPlansTable as plans } from "./reorg.table";

/** A whole-number list as one array parameter (`{1,2,3}`), however long it is. */
const intArray = (values: readonly number[]) =>
  sql`${`{${values.map((v) => Math.trunc(v)).join(",")}}`}::int[]`;

/** Every box, and every stocked slot with its part's type: what the planner reads. */
export async function readLayout(db: Db): Promise<Layout> {
  const boxes = await db
    .select({ boxNo: boxesTable.boxNo, capacity: boxesTable.capacity })
    .from(boxesTable)
    .orderBy(asc(boxesTable.boxNo));
  const slots = await db
    .select({
      boxNo: locationsTable.boxNo,
      locNo: locationsTable.locNo,
      partId: sql<string>`${locationsTable.partId}`,
      qty: locationsTable.qty,
      typeId: partsTable.typeId,
    })
    .from(locationsTable)
    .innerJoin(partsTable, eq(partsTable.id, locationsTable.partId))
    .where(isNotNull(locationsTable.partId))
    .orderBy(asc(locationsTable.boxNo), asc(locationsTable.locNo));
  const types = await findTypes(db);
  return { boxes, slots, typeNames: new Map(types.map((type) => [type.id, type.name])) };
}

export function findTypes(db: Db) {
  return db
    .select({ id: typesTable.id, name: typesTable.name })
    .from(typesTable)
    .orderBy(asc(typesTable.name), asc(typesTable.id));
}

export async function findExistingTypeIds(db: Db, typeIds: number[]) {
  const rows = await db
    .select({ id: typesTable.id })
    .from(typesTable)
    .where(inArray(typesTable.id, typeIds));
  return new Set(rows.map((row) => row.id));
}

export async function insertPlan(
  db: Db,
  values: { id: string; maxMoves: number | null; typeIds: number[] | null },
) {
  await db.insert(plans).values(values);
}

export async function setPlanJob(db: Db, planId: string, jobId: string) {
  await db.update(plans).set({ jobId }).where(eq(plans.id, planId));
}

const planColumns = {
  id: plans.id,
  status: plans.status,
  maxMoves: plans.maxMoves,
  typeIds: plans.typeIds,
  jobId: plans.jobId,
  metrics: plans.metrics,
  error: plans.error,
  createdAt: plans.createdAt,
  expiresAt: plans.expiresAt,
  /** Judged by the database clock, like `expires_at` itself. */
  expired: sql<boolean>`${plans.expiresAt} <= now()`,
};

/** A plan; `lock` holds its row until the transaction ends (concurrent applies queue). */
export async function findPlan(db: Db, planId: string, lock = false) {
  const query = db.select(planColumns).from(plans).where(eq(plans.id, planId));
  const [row] = await (lock ? query.for("update") : query);
  return row;
}
export type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlan>>>;

export function findMoves(db: Db, planId: string) {
  return db.select().from(moves).where(eq(moves.planId, planId)).orderBy(asc(moves.step));
}
export type MoveRow = Awaited<ReturnType<typeof findMoves>>[number];

export async function countMoves(db: Db, planId: string) {
  const [row] = await db.select({ n: count() }).from(moves).where(eq(moves.planId, planId));
  return row?.n ?? 0;
}

/**
 * Stores a computed plan: its moves replace any from an earlier run, and it becomes ready.
 * The moves go in as one JSON parameter expanded by the server, one statement however many
 * there are (building a multi-row insert of thousands of rows costs more than running it).
 */
export async function storePlan(
  tx: Db,
  planId: string,
  planned: (PlannedMove & { id: string })[],
  metrics: PlanMetrics,
) {
  await tx.delete(moves).where(eq(moves.planId, planId));
  const rows = JSON.stringify(
    planned.map((move) => ({
      id: move.id,
      step: move.step,
      part_id: move.partId,
      qty: move.qty,
      from_box_no: move.from.boxNo,
      from_loc_no: move.from.locNo,
      to_box_no: move.to.boxNo,
      to_loc_no: move.to.locNo,
      goal: move.goal,
      reason: move.reason,
    })),
  );
  await tx.execute(sql`
    insert into ${moves} (id, plan_id, step, part_id, qty, from_box_no, from_loc_no,
                          to_box_no, to_loc_no, goal, reason)
    select id, ${planId}::uuid, step, part_id, qty, from_box_no, from_loc_no,
           to_box_no, to_loc_no, goal, reason
    from jsonb_to_recordset(${rows}::jsonb) as m(id uuid, step int, part_id text, qty int,
      from_box_no int, from_loc_no int, to_box_no int, to_loc_no int, goal text, reason text)`);
  await tx.update(plans).set({ status: "ready", metrics, error: null }).where(eq(plans.id, planId));
}

export async function setPlanStatus(
  db: Db,
  planId: string,
  status: "applied" | "expired" | "failed",
  error: string | null = null,
) {
  await db.update(plans).set({ status, error }).where(eq(plans.id, planId));
}

export async function markMovesApplied(tx: Db, planId: string, steps: number[]) {
  await tx
    .update(moves)
    .set({ appliedAt: sql`now()` })
    .where(and(eq(moves.planId, planId), sql`${moves.step} = any(${intArray(steps)})`));
}

/**
 * Holds the parts shared (as every stock change does first), so none is deleted while the
 * plan is applied; answers the ids that exist.
 */
export async function lockParts(tx: Db, partIds: string[]) {
  const ids = `{${partIds.join(",")}}`;
  const rows = await tx
    .select({ id: partsTable.id })
    .from(partsTable)
    .where(sql`${partsTable.id} = any(${ids}::text[])`)
    .orderBy(asc(partsTable.id))
    .for("key share");
  return new Set(rows.map((row) => row.id));
}

/**
 * Locks slots for update in box/slot order, the order every stock change locks in, so an
 * apply and a concurrent stock change cannot deadlock. Answers those that exist.
 */
export function lockSlots(tx: Db, slots: { boxNo: number; locNo: number }[]) {
  return tx
    .select({
      boxNo: locationsTable.boxNo,
      locNo: locationsTable.locNo,
      partId: locationsTable.partId,
      qty: locationsTable.qty,
    })
    .from(locationsTable)
    .where(
      sql`(${locationsTable.boxNo}, ${locationsTable.locNo}) in (select * from unnest(${intArray(slots.map((s) => s.boxNo))}, ${intArray(slots.map((s) => s.locNo))}))`,
    )
    .orderBy(asc(locationsTable.boxNo), asc(locationsTable.locNo))
    .for("update");
}

/** Plans past their expiry that were never applied become `expired`; answers how many. */
export async function expirePlans(db: Db) {
  const rows = await db
    .update(plans)
    .set({ status: "expired" })
    .where(and(inArray(plans.status, ["pending", "ready"]), lt(plans.expiresAt, sql`now()`)))
    .returning({ id: plans.id });
  return rows.length;
}

/** Deletes plans, with their moves, whose expiry lies longer ago than `retention`. */
export async function deletePlansExpiredBefore(db: Db, retention: string) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
      with gone as (
        delete from ${plans} where ${plans.expiresAt} < now() - ${retention}::interval
        returning id
      ), moves_gone as (
        delete from ${moves} where ${moves.planId} in (select id from gone)
      )
      select id from gone`,
  );
  return rows.length;
}
