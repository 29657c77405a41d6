import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../../platform/db";

/** Most rows any one candidate source contributes; keeps a common word cheap at 100k parts. */
const SOURCE_CAP = sql.raw("200");

/** The search text in the forms the sources compare against. */
export interface SearchTerms {
  /** As typed (trimmed): parsed as a web-search query for full-text matching. */
  raw: string;
  lower: string;
  upper: string;
  /** `%lower%` with LIKE wildcards escaped. */
  contains: string;
  /** `lower%` with LIKE wildcards escaped. */
  startsWith: string;
}

const tsquery = (terms: SearchTerms) => sql`websearch_to_tsquery('simple', ${terms.raw})`;

/**
 * Candidate sources: each answers `(part_id, tier)` for at most SOURCE_CAP parts, using one
 * index. Tier 0 is an exact id, 1 an exact manufacturer code, 2 anything else (including
 * a substring of a document's original file name). A feature with more searchable text
 * adds its source here.
 */
function candidateSources(terms: SearchTerms): SQL[] {
  return [
    sql`(select id as part_id, 0 as tier from parts where id = ${terms.upper} limit 1)`,
    sql`(select id, 1 from parts where lower(manufacturer_code) = ${terms.lower} limit ${SOURCE_CAP})`,
    sql`(select id, 2 from parts where search_text like ${terms.contains} limit ${SOURCE_CAP})`,
    sql`(select id, 2 from parts where search_vector @@ ${tsquery(terms)} limit ${SOURCE_CAP})`,
    sql`(select part_id, 2 from documents where lower(original_filename) like ${terms.contains} limit ${SOURCE_CAP})`,
  ];
}

export interface SearchRow {
  id: string;
  manufacturerCode: string | null;
  manufacturer: string | null;
  description: string;
  typeName: string | null;
  tags: string[];
  score: number;
  totalQty: number;
  locations: { boxNo: number; locNo: number; qty: number }[];
}

/**
 * One statement per search: the capped candidate sources, trigram word similarity for
 * typos only when they found fewer than `limit` parts, scoring of the small union, and the
 * stock of the page's hits.
 */
export function searchParts(db: Db, terms: SearchTerms, limit: number) {
  return queryRows<SearchRow>(
    db,
    sql`
with direct as (
  ${sql.join(candidateSources(terms), sql` union all `)}
),
fuzzy as (
  select id as part_id, 2 as tier from parts
  where ${terms.lower} <% search_text and (select count(*) from direct) < ${limit}
  limit ${SOURCE_CAP}
),
candidates as (
  select part_id, min(tier) as tier
  from (select * from direct union all select * from fuzzy) found
  group by part_id
),
ranked as (
  select p.id, p.manufacturer_code, p.manufacturer, p.description, p.type_name, p.tags, c.tier,
    (word_similarity(${terms.lower}, p.search_text)
      + ts_rank(p.search_vector, ${tsquery(terms)})
      + case when p.search_text like ${terms.contains} then 0.5 else 0 end
      + case when lower(p.manufacturer_code) like ${terms.startsWith} then 0.5 else 0 end
      + case when exists (select 1 from documents d where d.part_id = p.id
          and lower(d.original_filename) like ${terms.contains}) then 0.3 else 0 end
    )::real as score
  from candidates c join parts p on p.id = c.part_id
  order by c.tier, score desc, p.id
  limit ${limit}
)
select r.id, r.manufacturer_code as "manufacturerCode", r.manufacturer,
  r.description, r.type_name as "typeName", r.tags, r.score,
  coalesce(stock.total_qty, 0)::int as "totalQty",
  coalesce(stock.locations, '[]'::json) as locations
from ranked r
left join lateral (
  select sum(l.qty)::int as total_qty,
    json_agg(json_build_object('boxNo', l.box_no, 'locNo', l.loc_no, 'qty', l.qty)
      order by l.box_no, l.loc_no) as locations
  from locations l where l.part_id = r.id
) stock on true
order by r.tier, r.score desc, r.id`,
  );
}
