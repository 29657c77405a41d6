DROP INDEX "parts_tag_keys_idx";--> statement-breakpoint
ALTER TABLE "parts" ADD COLUMN "tag_keys" text[] GENERATED ALWAYS AS (parts_tag_keys(tags)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "parts_tag_keys_idx" ON "parts" USING gin ("tag_keys");