import { createHash, timingSafeEqual } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { Deps } from "./deps";
import { AppError, statusTitle, toProblem } from "./lib/errors";
import { problemResponse } from "./lib/openapi";
import { buildOpenApiDocument, JSON_BODY_LIMIT_BYTES } from "./lib/openapi-document";
import { appErrorForPgError } from "./lib/pg-errors";
import { createHealthRouter } from "./modules/health/health.routes";
import { createApiRouters } from "./modules/index";

export function createApp(deps: Deps) {
  const app = new OpenAPIHono();
  const { logger, metrics } = deps;

  app.use(
    requestId({
      generator: () => crypto.randomUUID(),
      limitLength: 128,
    }),
  );
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    metrics.observeRequest(c.req.method, c.req.routePath, c.res.status, ms / 1000);
    logger.info({
      msg: "request",
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(ms * 10) / 10,
      requestId: c.get("requestId"),
    });
  });
  if (deps.env.CORS_ORIGINS.length > 0) {
    const allowed = new Set(deps.env.CORS_ORIGINS);
    app.use(
      cors({
        origin: (origin) => (allowed.has(origin) ? origin : null),
        allowHeaders: [
          "Authorization",
          "Content-Type",
          "Idempotency-Key",
          "Range",
          "If-None-Match",
        ],
        // PDF.js in a browser reads Accept-Ranges and Content-Length to decide on Range requests.
        exposeHeaders: [
          "Location",
          "X-Request-Id",
          "Content-Range",
          "Content-Length",
          "Accept-Ranges",
          "ETag",
          "Content-Disposition",
        ],
        maxAge: 600,
      }),
    );
  }
  if (deps.env.API_TOKEN) app.use("/api/v1/*", bearerAuth(deps.env.API_TOKEN));
  app.use("/api/v1/*", limitJsonBodies());

  app.route("/", createHealthRouter(deps));
  for (const router of createApiRouters(deps)) app.route("/api/v1", router);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "Required on /api/v1 when the server has API_TOKEN set.",
  });
  let document: unknown;
  app.get("/openapi.json", (c) => {
    document ??= buildOpenApiDocument(app);
    return c.json(document);
  });
  const scalarAssets = join(
    dirname(fileURLToPath(import.meta.resolve("@scalar/api-reference"))),
    "browser",
  );
  app.get("/docs/assets/standalone.js", () => {
    return new Response(Bun.file(join(scalarAssets, "standalone.js")), {
      headers: {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": "public, max-age=86400",
      },
    });
  });
  app.get(
    "/docs",
    Scalar({
      url: "/openapi.json",
      cdn: "/docs/assets/standalone.js",
      withDefaultFonts: false,
      pageTitle: "Parts inventory API",
      // Served offline: no hosted AI chat, MCP generator or telemetry calls.
      agent: { disabled: true },
      mcp: { disabled: true },
      telemetry: false,
      showDeveloperTools: "never",
    }),
  );

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      c.header("Allow", allowed.join(", "));
      return problem(
        c,
        new AppError(
          405,
          "http.method_not_allowed",
          `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(", ")}.`,
        ),
      );
    }
    return problem(
      c,
      new AppError(404, "http.not_found", `No route matches ${c.req.method} ${c.req.path}.`),
    );
  });

  app.onError((error, c) => {
    if (error instanceof AppError) return problem(c, error);
    if (error instanceof HTTPException) return problem(c, fromHttpException(error));
    const refusal = appErrorForPgError(error);
    if (refusal) {
      // A refusal no repository translated: worth a look, but the client's answer is clear.
      logger.warn({ err: error, requestId: c.get("requestId"), path: c.req.path }, refusal.code);
      return problem(c, refusal);
    }
    logger.error(
      { err: error, requestId: c.get("requestId"), path: c.req.path },
      "unhandled error",
    );
    return problem(
      c,
      new AppError(
        500,
        "internal",
        "An unexpected error occurred; quote the request id when reporting it.",
      ),
    );
  });

  return app;
}

export type App = ReturnType<typeof createApp>;

/** Hono's own refusals (malformed JSON, wrong content type) as AppErrors. */
function fromHttpException(error: HTTPException): AppError {
  switch (error.status) {
    case 400:
      return new AppError(400, "request.malformed_json", "The request body is not valid JSON.");
    case 415:
      return new AppError(
        415,
        "request.unsupported_media_type",
        "Unsupported Content-Type for this operation; JSON operations take application/json.",
      );
    default:
      return new AppError(
        error.status,
        `request.${statusTitle(error.status).toLowerCase().replaceAll(" ", "_")}`,
        error.message || statusTitle(error.status),
      );
  }
}

function problem(c: Context, error: AppError) {
  return problemResponse(c, toProblem(error, c.get("requestId")));
}

/**
 * JSON bodies are parsed whole, so they are capped (uploads are streamed and capped by
 * their own routes). The largest real request, a build with 1000 picks, is under 100 kB.
 */
function limitJsonBodies() {
  const limit = bodyLimit({
    maxSize: JSON_BODY_LIMIT_BYTES,
    onError: (c) =>
      problem(
        c,
        new AppError(
          413,
          "request.too_large",
          `JSON request bodies are limited to ${JSON_BODY_LIMIT_BYTES} bytes.`,
        ),
      ),
  });
  return async (c: Context, next: () => Promise<void>) => {
    const type = c.req.header("Content-Type") ?? "";
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) return next();
    return limit(c, next);
  };
}

function bearerAuth(token: string) {
  const expected = createHash("sha256").update(token).digest();
  return async (c: Context, next: () => Promise<void>) => {
    if (c.req.method === "OPTIONS") return next();
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = createHash("sha256")
      .update(match?.[1] ?? "")
      .digest();
    if (!match || !timingSafeEqual(given, expected)) {
      c.header("WWW-Authenticate", 'Bearer realm="api"');
      return problem(
        c,
        new AppError(401, "auth.unauthorized", "A valid bearer token is required."),
      );
    }
    await next();
  };
}

/** Methods registered for a path, so a wrong method answers 405 rather than 404. */
function allowedMethods(app: OpenAPIHono, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const pattern = route.path.replace(/:[^/]+/g, "[^/]+").replace(/\{[^/]+\}/g, "[^/]+");
    if (new RegExp(`^${pattern}/?$`).test(path)) methods.add(route.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods];
}
