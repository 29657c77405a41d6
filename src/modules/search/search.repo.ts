import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { compileStatement, type Db } from "../../platform/db";
import { coverHasThumbnails } from "../parts/parts.repo";

/**
 * Most candidates the text sources contribute together (at least the page size): what
 * keeps a common word cheap at 100k parts. Each exact source has the same cap of its own.
 */
const candidateCap = (limit: number) => Math.max(limit, 100);

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

/**
 * What the statement is built from: the terms and the page size with its candidate cap,
 * as values (the benchmark's one-off statement) or as placeholders (the compiled one).
 */
type SearchValues = {
  [K in keyof SearchTerms | "limit" | "cap"]: string | number | Placeholder;
};

const tsquery = (terms: SearchValues) => sql`websearch_to_tsquery('simple', ${terms.raw})`;

/**
 * Relevance of part `p` for a source that matched it with `match` (0..1): the match, the
 * full-text rank, a bonus when the manufacturer code starts with the query, and the code's
 * trigram similarity (so "G5Q-1A4" ranks above "G5Q-1A4-12V" for "g5q"), and a bonus when
 * one of the part's documents has the query in its file name.
 */
function score(terms: SearchValues, match: number): SQL {
  return sql`(${sql.raw(String(match))} + ts_rank(p.search_vector, ${tsquery(terms)})
    + case when lower(p.manufacturer_code) like ${terms.startsWith} then 0.5 else 0 end
    + 0.3 * coalesce(similarity(lower(p.manufacturer_code), ${terms.lower}), 0)
    + case when exists (select 1 from documents d where d.part_id = p.id
        and lower(d.original_filename) like ${terms.contains}) then 0.3 else 0 end)::real`;
}

/**
 * Candidate sources: each selects `(part_id, tier, score)` of parts `p` with one index.
 * Tier 0 is an exact id, 1 an exact manufacturer code, 2 anything else. Exact sources are
 * read up to the cap each; text sources share the cap in order (whole words first, then
 * substrings, then document file names), so a common word stops after the first.
 */
function candidateSources(terms: SearchValues): { exact: SQL[]; text: SQL[] } {
  return {
    exact: [
      sql`select p.id as part_id, 0 as tier, ${score(terms, 1)} as score
        from parts p where p.id = ${terms.upper}`,
      sql`select p.id, 1, ${score(terms, 1)}
        from parts p where lower(p.manufacturer_code) = ${terms.lower}`,
    ],
    text: [
      sql`select p.id, 2, ${score(terms, 1)}
        from parts p where p.search_vector @@ ${tsquery(terms)}`,
      sql`select p.id, 2, ${score(terms, 0.9)}
        from parts p where p.search_text like ${terms.contains}`,
      sql`select p.id, 2, ${score(terms, 0.7)}
        from documents d join parts p on p.id = d.part_id
        where lower(d.original_filename) like ${terms.contains}`,
    ],
  };
}

export interface SearchRow {
  id: string;
  manufacturerCode: string | null;
  manufacturer: string | null;
  description: string;
  typeName: string | null;
  tags: string[];
  coverDocumentId: string | null;
  coverHasThumbnails: boolean;
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
 * - each source scores its rows while it has them (no second lookup of 1,000 parts); the
 *   union is ordered by tier and score, and only the page's hits are joined to their
 *   fields and stock.
 * Exported for the benchmark, which runs it without the API.
 */
export function searchStatement(terms: SearchTerms, limit: number): SQL {
  return buildSearch({ ...terms, limit, cap: candidateCap(limit) });
}

function buildSearch(terms: SearchValues): SQL {
  const { exact, text } = candidateSources(terms);
  const { limit, cap } = terms;
  const name = (index: number) => sql.raw(`source_${index}`);
  const sourceCtes = [...exact, ...text].map(
    (source, index) => sql`${name(index)} as materialized (${source})`,
  );
  const exactCapped = exact.map((_, index) => sql`(select * from ${name(index)} limit ${cap})`);
  // A text source reads what the text sources before it left of the cap; at 0 its scan
  // never starts.
  const textCapped = text.map((_, offset) => {
    const index = exact.length + offset;
    const before = Array.from({ length: offset }, (_, k) => sql`text_${sql.raw(String(k))}`);
    const used = before.length
      ? sql`(select count(*) from (${sql.join(
          before.map((cte) => sql`select 1 from ${cte}`),
          sql` union all `,
        )}) used)`
      : sql`0`;
    return sql`${sql.raw(`text_${offset}`)} as (select * from ${name(index)} limit greatest(${cap} - ${used}, 0))`;
  });
  return sql`
with ${sql.join([...sourceCtes, ...textCapped], sql`, `)},
direct as (
  ${sql.join(
    [...exactCapped, ...text.map((_, offset) => sql`(select * from ${sql.raw(`text_${offset}`)})`)],
    sql` union all `,
  )}
),
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
  select p.id as part_id, 2 as tier, ${score(terms, 0.5)} as score
  from typo_query t join parts p on p.search_vector @@ t.query
  limit ${cap}
),
ranked as (
  select part_id, min(tier) as tier, max(score) as score
  from (select * from direct union all select * from typos) found
  group by part_id
  order by min(tier), max(score) desc, part_id
  limit ${limit}
)
select p.id, p.manufacturer_code as "manufacturerCode", p.manufacturer,
  p.description, p.type_name as "typeName", p.tags, r.score,
  p.cover_document_id as "coverDocumentId", ${coverHasThumbnails} as "coverHasThumbnails",
  coalesce(stock.total_qty, 0)::int as "totalQty",
  coalesce(stock.locations, '[]'::json) as locations
from ranked r
join parts p on p.id = r.part_id
left join lateral (
  select sum(l.qty)::int as total_qty,
    json_agg(json_build_object('boxNo', l.box_no, 'locNo', l.loc_no, 'qty', l.qty)
      order by l.box_no, l.loc_no) as locations
  from locations l where l.part_id = r.part_id
) stock on true
order by r.tier, r.score desc, r.part_id`;
}

/** Built into SQL text once: a search only fills in the values (see compileStatement). */
const compiledSearch = compileStatement<keyof SearchValues>((param) =>
  buildSearch({
    raw: param("raw"),
    lower: param("lower"),
    upper: param("upper"),
    contains: param("contains"),
    startsWith: param("startsWith"),
    limit: param("limit"),
    cap: param("cap"),
  }),
);

export function searchParts(db: Db, terms: SearchTerms, limit: number) {
  return compiledSearch<SearchRow>(db, { ...terms, limit, cap: candidateCap(limit) });
}
