-- Lower-cased tags for the case-insensitive tag filter. A function because an index
-- expression must be immutable and array-to-text casts are not; drizzle-kit cannot
-- declare functions, the index on it lives in parts.table.ts. The high COST keeps the
-- planner from calling it row by row instead of using that index.
CREATE OR REPLACE FUNCTION parts_tag_keys(tags text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
AS $$ SELECT coalesce(array_agg(lower(t)), '{}'::text[]) FROM unnest(tags) AS t $$;
