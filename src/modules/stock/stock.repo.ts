import { and, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import { type KeyClaim, type KeyParam, recordAnswerUnderKey } from "../../lib/idempotency";
import { compileStatement, type Db } from "../../platform/db";
import { slotNotFound } from "../boxes/boxes.errors";
import { locationsTable } from "../boxes/boxes.table";
import { type PartJson, partJson } from "../parts/parts.repo";
import type { LedgerReason } from "./ledger.table";
import { notEnoughStock, slotFull, slotHoldsOtherPart } from "./stock.errors";

export interface SlotChange {
  partId: string;
  boxNo: number;
  locNo: number;
  /** Positive to put stock in, negative to take it out; never zero. */
  delta: number;
  reason: LedgerReason;
  refId?: string | null;
}

type SlotChangeParam = "partId" | "boxNo" | "locNo" | "qty" | "reason" | "refId";
type Param<Extra extends string = never> = (name: SlotChangeParam | Extra) => Placeholder;

/**
 * The one way any quantity changes: one statement that locks the part row shared (a part
 * is never deleted under a stock change, deletion locks it exclusively), conditionally
 * updates one slot and inserts its ledger row only when the update happened. One
 * statement is atomic by itself; inside a transaction (`withTx`) several of them make a
 * multi-slot change all or nothing.
 *
 * Adding fills a free slot or tops up the same part; removing never goes below zero and
 * frees the slot at zero. The conditions live in the UPDATE itself, so concurrent changes
 * of the same slot serialise on its row lock and re-check them: no lost updates, no
 * negative stock, no two parts in one slot. `answer` is the select run after the change,
 * over the CTEs `part` (the locked part id, empty when the part does not exist) and
 * `changed` (the slot's new row, empty when the change was refused). Compiled once per
 * direction and answer: `qty` is the amount moved in or out, never negative.
 */
/** The most a slot can count: PostgreSQL `integer`. */
const MAX_SLOT_QTY = sql.raw("2147483647");

function slotChangeStatements<Extra extends string = never>(answer: (p: Param<Extra>) => SQL) {
  const build = (direction: "in" | "out") =>
    compileStatement<SlotChangeParam | Extra>((p) => {
      const set =
        direction === "in"
          ? sql`part_id = ${p("partId")}, qty = qty + ${p("qty")}::int`
          : sql`part_id = case when qty = ${p("qty")}::int then null else part_id end,
                qty = qty - ${p("qty")}::int`;
      const allowed =
        direction === "in"
          ? sql`(part_id is null or part_id = ${p("partId")}) and qty <= ${MAX_SLOT_QTY} - ${p("qty")}::int`
          : sql`part_id = ${p("partId")} and qty >= ${p("qty")}::int`;
      const delta = direction === "in" ? sql`${p("qty")}::int` : sql`-${p("qty")}::int`;
      return sql`
        with part as (select id from parts where id = ${p("partId")} for key share),
        changed as (
          update locations set ${set}
          where box_no = ${p("boxNo")}::int and loc_no = ${p("locNo")}::int
            and exists (select 1 from part) and ${allowed}
          returning box_no, loc_no, qty
        ),
        logged as (
          insert into stock_ledger (part_id, box_no, loc_no, delta_qty, reason, ref_id)
          select ${p("partId")}, box_no, loc_no, ${delta}, ${p("reason")}, ${p("refId")}::text
          from changed
        )
        ${answer(p)}`;
    });
  const into = build("in");
  const outOf = build("out");
  return <T>(tx: Db, change: SlotChange, extra?: Record<Extra, unknown>) => {
    const { partId, boxNo, locNo, delta, reason } = change;
    const values = {
      ...extra,
      partId,
      boxNo,
      locNo,
      qty: Math.abs(delta),
      reason,
      refId: change.refId ?? null,
    } as Record<SlotChangeParam | Extra, unknown>;
    return (delta > 0 ? into : outOf)<T>(tx, values);
  };
}

const changeSlotAnsweringQty = slotChangeStatements(
  () => sql`select (select qty from changed) as qty`,
);

/**
 * The slot's new quantity (null when refused), the part and all its stocked slots as they
 * are after the change: the slot just changed comes from the update, the others from the
 * statement's snapshot. No row when the part does not exist.
 */
const partAnswer = (p: Param) => sql`
    select (select qty from changed) as qty, ${partJson} as part,
      coalesce((
        select json_agg(json_build_object('boxNo', s.box_no, 'locNo', s.loc_no, 'qty', s.qty)
                        order by s.box_no, s.loc_no)
        from (
          select box_no, loc_no, qty from locations
          where part_id = ${p("partId")}
            and not (box_no = ${p("boxNo")}::int and loc_no = ${p("locNo")}::int)
          union all
          select box_no, loc_no, qty from changed where qty > 0
        ) s
      ), '[]'::json) as locations
    from parts p left join types t on t.id = p.type_id
    where p.id in (select id from part)`;

const changeSlotAnsweringPartJson = slotChangeStatements(partAnswer);

/**
 * The same, and when the change happened its answer is recorded under an idempotency key
 * in the same statement; a key already used fails the whole statement, change included.
 */
const changeSlotRecordingAnswer = slotChangeStatements<KeyParam>(
  (p) => sql`,
    answered as (${partAnswer(p)}),
    ${recordAnswerUnderKey(
      p,
      sql`select json_build_object('part', part, 'locations', locations)::jsonb
          from answered where qty is not null`,
    )}
    select * from answered`,
);

/** The part and its stocked slots after a change, as the change statements answer them. */
export interface StockAnswer {
  part: PartJson;
  locations: { boxNo: number; locNo: number; qty: number }[];
}

type AnswerRow = StockAnswer & { qty: number | null };

/**
 * Changes one slot (see `slotChangeStatements`); the slot's new quantity, or undefined
 * when the change was refused (unknown slot, another part there, not enough stock).
 */
export async function tryChangeSlotQty(tx: Db, change: SlotChange): Promise<number | undefined> {
  const [row] = await changeSlotAnsweringQty<{ qty: number | null }>(tx, change);
  return row?.qty ?? undefined;
}

/** Changes one slot; a refusal is thrown as the problem explaining it. */
export async function changeSlotQty(tx: Db, change: SlotChange): Promise<number> {
  const qty = await tryChangeSlotQty(tx, change);
  if (qty === undefined) throw await explainRefusal(tx, change);
  return qty;
}

/**
 * Changes one slot and answers the part with all its stocked slots as they are after the
 * change, in the same statement (see `partAnswer`). Undefined when the part does not exist.
 */
export async function changeSlotAnsweringPart(
  tx: Db,
  change: SlotChange,
): Promise<StockAnswer | undefined> {
  const [row] = await changeSlotAnsweringPartJson<AnswerRow>(tx, change);
  if (!row) return undefined;
  if (row.qty === null) throw await explainRefusal(tx, change);
  return { part: row.part, locations: row.locations };
}

/**
 * Like `changeSlotAnsweringPart`, recording the answer under `claim` in the same statement
 * (a key already used surfaces as its unique violation, and nothing changed). Answers
 * "refused" when the change was refused and undefined when the part does not exist: then
 * nothing changed and nothing was recorded.
 */
export async function changeSlotRecordingAnswerUnderKey(
  db: Db,
  change: SlotChange,
  claim: KeyClaim,
): Promise<StockAnswer | "refused" | undefined> {
  const [row] = await changeSlotRecordingAnswer<AnswerRow>(db, change, { ...claim, status: 200 });
  if (!row) return undefined;
  if (row.qty === null) return "refused";
  return { part: row.part, locations: row.locations };
}

/** Why a change of one slot was refused, read after the fact. */
export async function explainRefusal(tx: Db, { partId, boxNo, locNo, delta }: SlotChange) {
  const [current] = await tx
    .select({ partId: locationsTable.partId, qty: locationsTable.qty })
    .from(locationsTable)
    .where(and(eq(locationsTable.boxNo, boxNo), eq(locationsTable.locNo, locNo)));
  if (!current) return slotNotFound(boxNo, locNo);
  if (delta > 0) {
    if (current.partId === partId) return slotFull(partId, boxNo, locNo, current.qty, delta);
    return slotHoldsOtherPart(boxNo, locNo, current.partId ?? "another part");
  }
  const held = current.partId === partId ? current.qty : 0;
  return notEnoughStock(partId, boxNo, locNo, held, -delta);
}

export interface SlotDelta {
  boxNo: number;
  locNo: number;
  delta: number;
}

/**
 * Applies slot changes of one part in box/slot order. A fixed order means two
 * transactions touching the same slots lock them in the same sequence: no deadlock.
 */
export async function applySlotDeltas(
  tx: Db,
  partId: string,
  deltas: SlotDelta[],
  reason: LedgerReason,
  refId: string | null = null,
) {
  for (const { boxNo, locNo, delta } of inSlotOrder(deltas)) {
    await changeSlotQty(tx, { partId, boxNo, locNo, delta, reason, refId });
  }
}

/** Box/slot order: changes of several slots lock them in this order, so never deadlock. */
export function inSlotOrder<T extends { boxNo: number; locNo: number }>(slots: T[]): T[] {
  return [...slots].sort((a, b) => a.boxNo - b.boxNo || a.locNo - b.locNo);
}

/** Entries naming the same slot become one, their quantities added. */
export function mergeSlots<T extends { boxNo: number; locNo: number; qty: number }>(
  slots: T[],
): T[] {
  const merged = new Map<string, T>();
  for (const slot of slots) {
    const key = `${slot.boxNo}-${slot.locNo}`;
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, qty: seen.qty + slot.qty } : { ...slot });
  }
  return [...merged.values()];
}

/** Slots holding a part, in box/slot order. */
export function findStockOfPart(db: Db, partId: string) {
  return db
    .select({ boxNo: locationsTable.boxNo, locNo: locationsTable.locNo, qty: locationsTable.qty })
    .from(locationsTable)
    .where(eq(locationsTable.partId, partId))
    .orderBy(locationsTable.boxNo, locationsTable.locNo);
}
