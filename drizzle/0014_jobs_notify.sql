-- New jobs wake their runner or relay at once (delivered when the enqueuing transaction
-- commits); the runners also poll, so a missed notification only delays a job.
CREATE FUNCTION "jobs_notify_enqueued"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('jobs_enqueued', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "jobs_enqueued" AFTER INSERT ON "jobs"
  FOR EACH STATEMENT EXECUTE FUNCTION "jobs_notify_enqueued"();
