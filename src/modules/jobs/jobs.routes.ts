import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonResponse } from "../../lib/openapi";
import { JobIdParams, JobListQuery, JobPageSchema, JobSchema } from "./jobs.schemas";

const tags = ["Jobs"];

export const getJobRoute = createRoute({
  method: "get",
  path: "/jobs/{jobId}",
  operationId: "getJob",
  tags,
  summary: "Get a background job",
  request: { params: JobIdParams },
  responses: {
    200: jsonResponse(JobSchema, "The job as it stands."),
    ...errorResponses(400, 401, 404),
  },
});

export const listJobsRoute = createRoute({
  method: "get",
  path: "/jobs",
  operationId: "listJobs",
  tags,
  summary: "List background jobs, newest first",
  description:
    "Filter by `status` and `kind`. `workers` lists the processes running jobs and when each was last seen, so a stopped worker is visible.",
  request: { query: JobListQuery },
  responses: {
    200: jsonResponse(JobPageSchema, "A page of jobs."),
    ...errorResponses(400, 401),
  },
});

export const streamJobEventsRoute = createRoute({
  method: "get",
  path: "/jobs/{jobId}/events",
  operationId: "streamJobEvents",
  tags,
  summary: "Follow a job as Server-Sent Events",
  description:
    "A `text/event-stream` of the job until it ends: an event `status` whenever its status changes (the first event tells the current state) and `progress` whenever its progress or step moves; each event's `data` is the whole Job as JSON and its `id` a version to send back as `Last-Event-ID` when reconnecting (then only newer states are sent). A comment line is sent every 15 s when nothing happens. The stream ends after the event of `succeeded` or `failed`.",
  request: {
    params: JobIdParams,
    headers: z.object({
      "last-event-id": z.string().max(200).optional().openapi({
        description: "The `id` of the last event received, to resume after a reconnect.",
      }),
    }),
  },
  responses: {
    200: {
      description: "The event stream.",
      content: {
        "text/event-stream": {
          schema: z.string().openapi({
            example:
              'id: cnVubmluZzoxOjUwMA\nevent: progress\ndata: {"id":"5d2a7e0c-1f3b-4c9a-8e6d-2b7f9a1c0e34","status":"running","progress":0.5,...}\n\n',
          }),
        },
      },
    },
    ...errorResponses(400, 401, 404),
  },
});
