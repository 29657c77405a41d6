import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../../deps";
import { createRouter, jsonResponse } from "../../lib/openapi";
import { checkReadiness } from "./health.service";

const HealthSchema = z.object({ status: z.literal("ok") }).openapi("Health");

const ReadinessSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    checks: z.record(z.string(), z.string()).openapi({
      description: "Each dependency and `ok` or `unavailable` (the reason is logged).",
      example: { database: "ok" },
    }),
  })
  .openapi("Readiness");

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
    503: jsonResponse(ReadinessSchema, "At least one dependency failed; `checks` names it."),
  },
});

export function createHealthRouter(deps: Deps) {
  return createRouter()
    .openapi(getHealth, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(getReadiness, async (c) => {
      const readiness = await checkReadiness(deps.readiness, (name, err) =>
        deps.logger.warn({ check: name, err }, "readiness check failed"),
      );
      return c.json(readiness, readiness.status === "ok" ? 200 : 503);
    });
}
