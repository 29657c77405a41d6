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
 * Candidate sources: each selects `(part_id, tier, match)` with one index. Tier 0 is an
 * exact id, 1 an exact manufacturer code, 2 anything else; `match` (0..1) is how well the
 * source matched and the base of the score. Each is read up to SOURCE_CAP rows. The last one
 * finds parts by a substring of a document's original file name (which also adds to the
 * score of a part found by its description).
 */
function candidateSources(terms: SearchTerms): SQL[] {
  return [
    sql`select id as part_id, 0 as tier, 1.0::real as match from parts where id = ${terms.upper}`,
    sql`select id, 1, 1.0 from parts where lower(manufacturer_code) = ${terms.lower}`,
    sql`select id, 2, 1.0 from parts where search_text like ${terms.contains}`,
    sql`select id, 2, 0.8 from parts where search_vector @@ ${tsquery(terms)}`,
    sql`select part_id, 2, 0.7 from documents where lower(original_filename) like ${terms.contains}`,
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
 * One statement per search, in steps:
 * - each candidate source is a materialized CTE, so it is planned for all its rows (an
 *   index scan) rather than for the first few (with a LIMIT the planner chose sequential
 *   scans, which read the whole table when a word turns out rare). A CTE is still read
 *   lazily, so the cap stops its scan early;
 * - only when they found fewer than `limit` parts: typo correction, each query word
 *   replaced by its most similar known words (trigram `%` over search_words) and parts
 *   matched by full text on those;
 * - scoring and ordering of the small union, and the stock of the page's hits.
 * Exported for the benchmark, which runs it without the API.
 */
export function searchStatement(terms: SearchTerms, limit: number): SQL {
  const sources = candidateSources(terms);
  const sourceCtes = sources.map(
    (source, index) => sql`${sql.raw(`source_${index}`)} as materialized (${source})`,
  );
  const capped = sources.map(
    (_, index) => sql`(select * from ${sql.raw(`source_${index}`)} limit ${SOURCE_CAP})`,
  );
  return sql`
with ${sql.join(sourceCtes, sql`, `)},
direct as (${sql.join(capped, sql` union all `)}),
typo_words as (
  select word, n from regexp_split_to_table(${terms.lower}, '[[:space:]]+') with ordinality as w(word, n)
  where length(word) >= 3 and (select count(*) from direct) < ${limit}
),
typo_query as materialized (
  select tsquery_and_agg(alternatives) as query from (
    select tsquery_or_agg(plainto_tsquery('simple', known.word)) as alternatives
    from typo_words t
    cross join lateral (
      select word from search_words where word % t.word
      order by similarity(word, t.word) desc limit 3
    ) known
    group by t.n
  ) per_word
),
typos as (
  select p.id as part_id, 2 as tier, 0.5::real as match
  from typo_query t join parts p on p.search_vector @@ t.query
  limit ${SOURCE_CAP}
),
candidates as (
  select part_id, min(tier) as tier, max(match) as match
  from (select * from direct union all select * from typos) found
  group by part_id
),
ranked as (
  select p.id, p.manufacturer_code, p.manufacturer, p.description, p.type_name, p.tags, c.tier,
    (c.match + ts_rank(p.search_vector, ${tsquery(terms)})
      + case when lower(p.manufacturer_code) like ${terms.startsWith} then 0.5 else 0 end
      + 0.3 * similarity(lower(p.manufacturer_code), ${terms.lower})
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
order by r.tier, r.score desc, r.id`;
}

export function searchParts(db: Db, terms: SearchTerms, limit: number) {
  return queryRows<SearchRow>(db, searchStatement(terms, limit));
}
