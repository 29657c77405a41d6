import type { Deps } from "../../deps";
import { AppError, PROBLEM_CONTENT_TYPE, toProblem } from "../../lib/errors";
import type { FetchHandler } from "../../platform/http-server";
import { notReady } from "./health.errors";
import { checkReadiness } from "./health.service";

/**
 * The worker's own port: `/metrics`, `/health` and `/ready` answered as the API answers
 * them, without the API's router (the worker serves nothing else).
 */
export function createWorkerProbes(deps: Deps): FetchHandler {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (!["/metrics", "/health", "/ready"].includes(pathname)) {
      return problem(
        new AppError(404, "http.not_found", "The worker serves /metrics, /health and /ready."),
      );
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      const refusal = problem(new AppError(405, "http.method_not_allowed", "Use GET."));
      refusal.headers.set("Allow", "GET, HEAD");
      return refusal;
    }
    if (pathname === "/health") return Response.json({ status: "ok" });
    if (pathname === "/metrics") {
      return new Response(await deps.metrics.render(), {
        headers: { "Content-Type": deps.metrics.contentType },
      });
    }
    const readiness = await checkReadiness(deps.readiness, (name, err) =>
      deps.logger.warn({ check: name, err }, "readiness check failed"),
    );
    if (readiness.status === "ok") return Response.json({ status: "ok", checks: readiness.checks });
    return problem(notReady(readiness.checks, readiness.reasons));
  };
}

function problem(error: AppError) {
  return Response.json(toProblem(error), {
    status: error.status,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE },
  });
}
