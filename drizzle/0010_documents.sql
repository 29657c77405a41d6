CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"part_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text,
	"original_filename" text,
	"content_type" text,
	"size_bytes" bigint,
	"bucket" text,
	"storage_key" text,
	"url" text,
	"source_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_kind_known" CHECK ("documents"."kind" in ('pdf', 'image', 'link')),
	CONSTRAINT "documents_stored_or_link" CHECK (("documents"."kind" = 'link' and "documents"."url" is not null and "documents"."storage_key" is null)
        or ("documents"."kind" <> 'link' and "documents"."storage_key" is not null and "documents"."bucket" is not null
          and "documents"."content_type" is not null and "documents"."size_bytes" is not null))
);
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_part_id_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "documents_part_id_created_at_idx" ON "documents" USING btree ("part_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_bucket_storage_key_key" ON "documents" USING btree ("bucket","storage_key");--> statement-breakpoint
CREATE INDEX "documents_original_filename_trgm_idx" ON "documents" USING gin (lower("original_filename") gin_trgm_ops);--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_cover_document_id_documents_id_fk" FOREIGN KEY ("cover_document_id") REFERENCES "public"."documents"("id") ON DELETE set null ON UPDATE no action;