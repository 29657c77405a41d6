-- Tags as one space-separated text for the generated search columns of parts. A function
-- because a generated column must be immutable and array_to_string is only stable (it
-- would be immutable for text[] anyway). drizzle-kit cannot declare functions.
CREATE OR REPLACE FUNCTION parts_tags_text(tags text[]) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT array_to_string(tags, ' ') $$;
