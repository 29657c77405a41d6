CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "type_name" text;--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "search_text" text GENERATED ALWAYS AS (lower(id || ' ' || coalesce(manufacturer_code, '') || ' ' || coalesce(manufacturer, '') || ' ' || description || ' ' || coalesce(parts_tags_text(tags), '') || ' ' || coalesce(seller, '') || ' ' || coalesce(type_name, ''))) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', id || ' ' || coalesce(manufacturer_code, '')), 'A') || setweight(to_tsvector('simple', coalesce(manufacturer, '') || ' ' || coalesce(type_name, '') || ' ' || coalesce(parts_tags_text(tags), '')), 'B') || setweight(to_tsvector('simple', description || ' ' || coalesce(seller, '')), 'C')) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "search_words_word_trgm_idx" ON "search_words" USING gist ("word" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "parts_manufacturer_code_lower_idx" ON "parts" USING btree (lower("manufacturer_code"));--> statement-breakpoint
CREATE INDEX "parts_search_text_trgm_idx" ON "parts" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "parts_search_vector_idx" ON "parts" USING gin ("search_vector");