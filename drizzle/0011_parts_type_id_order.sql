DROP INDEX "parts_type_id_idx";--> statement-breakpoint
CREATE INDEX "parts_type_id_id_idx" ON "parts" USING btree ("type_id","id");