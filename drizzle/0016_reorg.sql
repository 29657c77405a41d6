CREATE TABLE "reorg_moves" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"part_id" text NOT NULL,
	"qty" integer NOT NULL,
	"from_box_no" integer NOT NULL,
	"from_loc_no" integer NOT NULL,
	"to_box_no" integer NOT NULL,
	"to_loc_no" integer NOT NULL,
	"goal" text NOT NULL,
	"reason" text NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "reorg_moves_qty_positive" CHECK ("reorg_moves"."qty" > 0),
	CONSTRAINT "reorg_moves_step_positive" CHECK ("reorg_moves"."step" >= 1)
);
--> statement-breakpoint
CREATE TABLE "reorg_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"max_moves" integer,
	"type_ids" integer[],
	"job_id" uuid,
	"metrics" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone DEFAULT now() + interval '24 hours' NOT NULL,
	CONSTRAINT "reorg_plans_status_known" CHECK ("reorg_plans"."status" in ('pending', 'ready', 'applied', 'expired', 'failed')),
	CONSTRAINT "reorg_plans_max_moves_not_negative" CHECK ("reorg_plans"."max_moves" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "reorg_moves_plan_id_step_key" ON "reorg_moves" USING btree ("plan_id","step");--> statement-breakpoint
CREATE INDEX "reorg_plans_expires_at_idx" ON "reorg_plans" USING btree ("expires_at");