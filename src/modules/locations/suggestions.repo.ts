import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../../platform/db";

export type SuggestionTier = "part_box" | "type_box" | "designated_box" | "first_free";

export interface SuggestionRow {
  boxNo: number;
  locNo: number;
  tier: SuggestionTier;
  typeName: string | null;
}

/**
 * Free slots for a part of `typeId`, best first: boxes already holding the part itself,
 * then boxes holding its type, then boxes designated for the type, then any free slot;
 * each tier in box/slot order. Every tier leaves out the boxes of earlier tiers and is
 * capped at `count`, so the cost follows `count`, not the number of free slots.
 */
export function suggestFreeSlots(
  db: Db,
  params: { typeId: number | null; partId?: string | null; count: number },
) {
  const typeId = params.typeId ?? null;
  const partId = params.partId ?? null;
  const count = params.count;
  const freeIn = (tier: SuggestionTier, boxes: ReturnType<typeof sql>) => sql`
    (select l.box_no, l.loc_no, ${tier}::text as tier
     from locations l
     where l.part_id is null and l.box_no in (${boxes})
     order by l.box_no, l.loc_no
     limit ${count})`;
  return queryRows<SuggestionRow>(
    db,
    sql`
      with part_boxes as (
        select distinct box_no from locations where part_id = ${partId}::text
      ),
      type_boxes as (
        select distinct l.box_no
        from locations l join parts p on p.id = l.part_id
        where p.type_id = ${typeId}::int
          and l.box_no not in (select box_no from part_boxes)
      ),
      designated_boxes as (
        select box_no from boxes
        where designated_type_id = ${typeId}::int
          and box_no not in (select box_no from part_boxes)
          and box_no not in (select box_no from type_boxes)
      ),
      other_boxes as (
        select box_no from boxes
        where box_no not in (select box_no from part_boxes)
          and box_no not in (select box_no from type_boxes)
          and box_no not in (select box_no from designated_boxes)
      ),
      candidates as (
        ${freeIn("part_box", sql`select box_no from part_boxes`)}
        union all ${freeIn("type_box", sql`select box_no from type_boxes`)}
        union all ${freeIn("designated_box", sql`select box_no from designated_boxes`)}
        union all ${freeIn("first_free", sql`select box_no from other_boxes`)}
      )
      select c.box_no as "boxNo", c.loc_no as "locNo", c.tier,
        (select name from types where id = ${typeId}::int) as "typeName"
      from candidates c
      order by
        array_position(array['part_box', 'type_box', 'designated_box', 'first_free'], c.tier),
        c.box_no, c.loc_no
      limit ${count}
    `,
  );
}
