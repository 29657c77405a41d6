import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../../platform/db";

export type SuggestionTier = "type_box" | "designated_box" | "first_free";

export interface SuggestionRow {
  boxNo: number;
  locNo: number;
  tier: SuggestionTier;
  typeName: string | null;
}

/**
 * Free slots for a part of `typeId`, best first: boxes already holding that type (or the
 * part itself), then boxes designated for the type, then any free slot; each tier in
 * box/slot order.
 */
export function suggestFreeSlots(
  db: Db,
  params: { typeId: number | null; partId?: string | null; count: number },
) {
  const typeId = params.typeId ?? null;
  const partId = params.partId ?? null;
  return queryRows<SuggestionRow>(
    db,
    sql`
      with kin_boxes as (
        select distinct l.box_no
        from locations l join parts p on p.id = l.part_id
        where (${typeId}::int is not null and p.type_id = ${typeId}::int)
           or p.id = ${partId}::text
      )
      select l.box_no as "boxNo", l.loc_no as "locNo",
        case
          when l.box_no in (select box_no from kin_boxes) then 'type_box'
          when ${typeId}::int is not null and b.designated_type_id = ${typeId}::int then 'designated_box'
          else 'first_free'
        end as tier,
        (select name from types where id = ${typeId}::int) as "typeName"
      from locations l join boxes b on b.box_no = l.box_no
      where l.part_id is null
      order by
        case
          when l.box_no in (select box_no from kin_boxes) then 0
          when ${typeId}::int is not null and b.designated_type_id = ${typeId}::int then 1
          else 2
        end,
        l.box_no, l.loc_no
      limit ${params.count}
    `,
  );
}
