import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps";
import { createRouter, jsonResponse, ProblemSchema, problemResponseOf } from "../../lib/openapi";
import { notReady } from "./health.errors";
import { checkReadiness } from "./health.service";

const HealthSchema = z.object({ status: z.literal("ok") }).openapi("Health");

const ReadinessChecksSchema = z
  .record(z.string(), z.enum(["ok", "unavailable"]))
  .openapi("ReadinessChecks", {
    description:
      "Each dependency checked and `ok` or `unavailable` (the reason is logged, not answered).",
    example: { database: "ok", storage: "ok" },
  });

const ReadinessSchema = z
  .object({ status: z.literal("ok"), checks: ReadinessChecksSchema })
  .openapi("Readiness");

const ReadinessProblemSchema = ProblemSchema.extend({ checks: ReadinessChecksSchema }).openapi(
  "ReadinessProblem",
  {
    description:
      "A problem (code `health.not_ready`) whose `detail` names each failing check; the extension member `checks` lists every check.",
  },
);

const getHealth = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["Health"],
  summary: "Liveness: the process answers",
  security: [],
  responses: { 200: jsonResponse(HealthSchema, "The process is alive.") },
});

const getReadiness = createRoute({
  method: "get",
  path: "/ready",
  operationId: "getReadiness",
  tags: ["Health"],
  summary: "Readiness: every dependency answers",
  security: [],
  responses: {
    200: jsonResponse(ReadinessSchema, "Every dependency answers."),
    503: problemResponseOf(
      ReadinessProblemSchema,
      "At least one dependency failed: a problem whose `checks` names it.",
    ),
  },
});

const getMetrics = createRoute({
  method: "get",
  path: "/metrics",
  operationId: "getMetrics",
  tags: ["Health"],
  summary: "Prometheus metrics of this process",
  description:
    "Prometheus text exposition format: requests by route template and status, job runs by kind and outcome, queue depth, outbox backlog, pool use, process figures. Open even when API_TOKEN is set. The worker serves the same on its own port (WORKER_METRICS_PORT).",
  security: [],
  responses: {
    200: {
      description: "The metrics, in the Prometheus text format 0.0.4.",
      content: {
        "text/plain": {
          schema: z.string().openapi({ example: "http_request_duration_seconds_count{...} 12" }),
        },
      },
    },
  },
});

export function createHealthRouter(deps: Deps) {
  return createRouter()
    .openapi(getHealth, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(getReadiness, async (c) => {
      const readiness = await checkReadiness(deps.readiness, (name, err) =>
        deps.logger.warn({ check: name, err }, "readiness check failed"),
      );
      if (readiness.status !== "ok") throw notReady(readiness.checks, readiness.reasons);
      return c.json({ status: "ok" as const, checks: readiness.checks }, 200);
    })
    .openapi(getMetrics, async (c) =>
      c.text(await deps.metrics.render(), 200, { "Content-Type": deps.metrics.contentType }),
    );
}
