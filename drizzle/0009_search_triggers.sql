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
-- Fill existing parts: the trigger above replaces the written value with the type's name.
UPDATE parts SET type_name = NULL WHERE type_id IS NOT NULL;
