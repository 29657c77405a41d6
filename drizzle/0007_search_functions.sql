-- Tags as one space-separated text for the generated search columns of parts. A function
-- because a generated column must be immutable and array_to_string is only stable (it
-- would be immutable for text[] anyway). drizzle-kit cannot declare functions.
CREATE OR REPLACE FUNCTION parts_tags_text(tags text[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT array_to_string(tags, ' ') $$;
--> statement-breakpoint
-- OR and AND over many tsqueries, to build the typo-corrected query from words.
CREATE AGGREGATE tsquery_or_agg(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
--> statement-breakpoint
CREATE AGGREGATE tsquery_and_agg(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);
