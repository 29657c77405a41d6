-- parts.type_name mirrors types.name so the generated search columns of parts can include
-- the type. A part takes the name when it is written with a type; renaming a type rewrites
-- its parts (rare, and the search columns must follow).
CREATE OR REPLACE FUNCTION parts_copy_type_name() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.type_name := (SELECT name FROM types WHERE id = NEW.type_id);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER parts_copy_type_name
BEFORE INSERT OR UPDATE OF type_id, type_name ON parts
FOR EACH ROW EXECUTE FUNCTION parts_copy_type_name();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION types_rename_parts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE parts SET type_name = NEW.name WHERE type_id = NEW.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER types_rename_parts
AFTER UPDATE OF name ON types
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION types_rename_parts();
--> statement-breakpoint
-- New words of written parts go into search_words, once per statement (a bulk insert
-- collects its words in one go). Part ids are left out: nobody misspells a random id, and
-- they would outnumber the real words. Sorted, so concurrent writers that share words take
-- the word keys in the same order and cannot deadlock.
CREATE OR REPLACE FUNCTION search_words_collect() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word)
  SELECT DISTINCT w.lexeme FROM changed_parts p, unnest(p.search_vector) w
  WHERE length(w.lexeme) BETWEEN 3 AND 40 AND w.lexeme <> lower(p.id)
  ORDER BY 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER parts_search_words_insert
AFTER INSERT ON parts REFERENCING NEW TABLE AS changed_parts
FOR EACH STATEMENT EXECUTE FUNCTION search_words_collect();
--> statement-breakpoint
CREATE TRIGGER parts_search_words_update
AFTER UPDATE ON parts REFERENCING NEW TABLE AS changed_parts
FOR EACH STATEMENT EXECUTE FUNCTION search_words_collect();
--> statement-breakpoint
-- Fill existing parts: the type-name trigger replaces the written value with the type's
-- name, and the update collects their words.
UPDATE parts SET type_name = NULL;
