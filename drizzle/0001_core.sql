CREATE TABLE "boxes" (
	"box_no" integer PRIMARY KEY NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"capacity" integer NOT NULL,
	"designated_type_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "boxes_capacity_range" CHECK ("boxes"."capacity" between 1 and 1000),
	CONSTRAINT "boxes_box_no_positive" CHECK ("boxes"."box_no" >= 1)
);
--> statement-breakpoint
CREATE TABLE "stock_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"part_id" text NOT NULL,
	"box_no" integer NOT NULL,
	"loc_no" integer NOT NULL,
	"delta_qty" integer NOT NULL,
	"reason" text NOT NULL,
	"ref_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_ledger_delta_not_zero" CHECK ("stock_ledger"."delta_qty" <> 0),
	CONSTRAINT "stock_ledger_reason_known" CHECK ("stock_ledger"."reason" in ('add', 'remove', 'move', 'receive', 'build', 'reorg'))
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"box_no" integer NOT NULL,
	"loc_no" integer NOT NULL,
	"part_id" text,
	"qty" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "locations_box_no_loc_no_pk" PRIMARY KEY("box_no","loc_no"),
	CONSTRAINT "locations_loc_no_positive" CHECK ("locations"."loc_no" >= 1),
	CONSTRAINT "locations_qty_not_negative" CHECK ("locations"."qty" >= 0),
	CONSTRAINT "locations_part_iff_stock" CHECK (("locations"."part_id" is null) = ("locations"."qty" = 0))
);
--> statement-breakpoint
CREATE TABLE "parts" (
	"id" text PRIMARY KEY NOT NULL,
	"manufacturer_code" text,
	"manufacturer" text,
	"type_id" integer,
	"description" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"package" text,
	"mounting_type" text,
	"pin_count" integer,
	"voltage_rating" text,
	"seller" text,
	"seller_link" text,
	"cover_document_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parts_id_format" CHECK ("parts"."id" ~ '^[A-Z]{4}$')
);
--> statement-breakpoint
CREATE TABLE "types" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "types_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "boxes" ADD CONSTRAINT "boxes_designated_type_id_types_id_fk" FOREIGN KEY ("designated_type_id") REFERENCES "public"."types"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_ledger" ADD CONSTRAINT "stock_ledger_part_id_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_box_no_boxes_box_no_fk" FOREIGN KEY ("box_no") REFERENCES "public"."boxes"("box_no") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_part_id_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_type_id_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."types"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_ledger_part_id_id_idx" ON "stock_ledger" USING btree ("part_id","id");--> statement-breakpoint
CREATE INDEX "locations_part_id_idx" ON "locations" USING btree ("part_id") WHERE "locations"."part_id" is not null;--> statement-breakpoint
CREATE INDEX "parts_type_id_idx" ON "parts" USING btree ("type_id");--> statement-breakpoint
CREATE INDEX "parts_created_at_id_idx" ON "parts" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "types_name_lower_key" ON "types" USING btree (lower("name"));