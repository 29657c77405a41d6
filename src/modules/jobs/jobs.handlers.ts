import { streamSSE } from "hono/streaming";
import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import * as routes from "./jobs.routes";
import * as service from "./jobs.service";

export function createJobsRouter({ db, env, metrics }: Deps) {
  return createRouter()
    .openapi(routes.getJobRoute, async (c) =>
      c.json(await service.getJob(db, c.req.valid("param").jobId), 200),
    )
    .openapi(routes.listJobsRoute, async (c) =>
      c.json(await service.listJobs(db, c.req.valid("query")), 200),
    )
    .openapi(routes.streamJobEventsRoute, async (c) => {
      const { jobId } = c.req.valid("param");
      await service.getJob(db, jobId); // 404 before any stream opens
      const response = streamSSE(c, async (stream) => {
        const aborted = new AbortController();
        const closed = metrics.trackEventStream();
        // The client went away: stop reading the job, end the stream.
        stream.onAbort(() => {
          aborted.abort();
          closed();
        });
        const events = service.followJob(db, jobId, {
          lastEventId: c.req.valid("header")["last-event-id"],
          signal: aborted.signal,
          heartbeatMs: env.SSE_HEARTBEAT_SECONDS * 1000,
        });
        for await (const event of events) {
          if (event.kind === "heartbeat") await stream.write(": heartbeat\n\n");
          else await stream.writeSSE({ id: event.id, event: event.event, data: event.data });
        }
        closed();
      });
      // Proxies must pass each event on at once and leave the stream uncompressed.
      response.headers.set("Cache-Control", "no-cache, no-transform");
      response.headers.set("X-Accel-Buffering", "no");
      return response;
    });
}
