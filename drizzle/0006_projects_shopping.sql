CREATE TABLE "projects" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "projects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_requirements" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_requirements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"part_id" text,
	"placeholder_manufacturer_code" text,
	"placeholder_description" text,
	"required_qty" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_requirements_required_qty_positive" CHECK ("project_requirements"."required_qty" > 0),
	CONSTRAINT "project_requirements_part_xor_placeholder" CHECK (("project_requirements"."part_id" is not null and "project_requirements"."placeholder_manufacturer_code" is null and "project_requirements"."placeholder_description" is null)
        or ("project_requirements"."part_id" is null and "project_requirements"."placeholder_manufacturer_code" is not null and "project_requirements"."placeholder_description" is not null))
);
--> statement-breakpoint
CREATE TABLE "shopping_list_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shopping_list_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"part_id" text,
	"manufacturer_code" text,
	"description" text NOT NULL,
	"type_id" integer,
	"desired_qty" integer NOT NULL,
	"seller" text,
	"seller_link" text,
	"notes" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"project_id" integer,
	"requirement_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shopping_list_items_desired_qty_positive" CHECK ("shopping_list_items"."desired_qty" > 0),
	CONSTRAINT "shopping_list_items_status_known" CHECK ("shopping_list_items"."status" in ('open', 'received'))
);
--> statement-breakpoint
ALTER TABLE "project_requirements" ADD CONSTRAINT "project_requirements_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_requirements" ADD CONSTRAINT "project_requirements_part_id_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopping_list_items" ADD CONSTRAINT "shopping_list_items_part_id_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopping_list_items" ADD CONSTRAINT "shopping_list_items_type_id_types_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."types"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopping_list_items" ADD CONSTRAINT "shopping_list_items_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shopping_list_items" ADD CONSTRAINT "shopping_list_items_requirement_id_project_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."project_requirements"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "project_requirements_project_part_key" ON "project_requirements" USING btree ("project_id","part_id");--> statement-breakpoint
CREATE INDEX "project_requirements_project_id_idx" ON "project_requirements" USING btree ("project_id","id");--> statement-breakpoint
CREATE INDEX "project_requirements_part_id_idx" ON "project_requirements" USING btree ("part_id") WHERE "project_requirements"."part_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "shopping_list_items_open_requirement_key" ON "shopping_list_items" USING btree ("requirement_id") WHERE "shopping_list_items"."status" = 'open';--> statement-breakpoint
CREATE INDEX "shopping_list_items_status_id_idx" ON "shopping_list_items" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "shopping_list_items_part_id_idx" ON "shopping_list_items" USING btree ("part_id") WHERE "shopping_list_items"."part_id" is not null;