-- New jobs no longer NOTIFY: PostgreSQL serialises the commits of notifying transactions,
-- which capped enqueuing (bench:jobs: 700 jobs/s with it, 1,150/s without). The process
-- that commits a job wakes its own runner or relay; the others poll.
DROP TRIGGER IF EXISTS "jobs_enqueued" ON "jobs";
--> statement-breakpoint
DROP FUNCTION IF EXISTS "jobs_notify_enqueued"();
