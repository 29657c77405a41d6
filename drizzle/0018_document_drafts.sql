ALTER TABLE "documents" ALTER COLUMN "part_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "draft_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "documents_draft_expires_at_idx" ON "documents" USING btree ("draft_expires_at") WHERE "documents"."draft_expires_at" is not null;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_owned_or_draft" CHECK (("documents"."part_id" is null) = ("documents"."draft_expires_at" is not null));