import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type ProblemBody, type TestApp, type TestResponse } from "./support/app";
import { createConformanceChecker } from "./support/openapi-conformance";
import { openUnreachableStorage } from "./support/storage";

const conformance = createConformanceChecker(
  await Bun.file(new URL("../openapi/openapi.json", import.meta.url)).json(),
);
const observed = (path: string, res: TestResponse) => ({
  method: "GET",
  path,
  status: res.status,
  contentType: res.headers.get("Content-Type"),
  body: res.body,
});

const TOKEN = "test-token-0123456789abcdef";

let open: TestApp;
let secured: TestApp;
beforeAll(async () => {
  open = await createTestApp({ env: { CORS_ORIGINS: "http://bench.local:5173" } });
  secured = await createTestApp({ env: { API_TOKEN: TOKEN } });
}, 30_000);
afterAll(async () => {
  await open.close();
  await secured.close();
});

describe("health", () => {
  test("/health answers without touching dependencies", async () => {
    const res = await open.request("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  test("/ready checks the database, storage, the queue and the worker", async () => {
    const res = await open.request("GET", "/ready");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "ok",
      checks: { database: "ok", storage: "ok", queue: "ok", worker: "ok" },
    });
  });

  test("/ready answers 503 problem+json naming a failing check", async () => {
    const failing = await createTestApp({
      deps: {
        readiness: {
          database: async () => {},
          storage: async () => {
            throw new Error("bucket missing");
          },
        },
      },
    });
    try {
      const res = await failing.request("GET", "/ready");
      expect(res.status).toBe(503);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
      expect(res.body).toMatchObject({
        type: "/problems/health-not-ready",
        title: "Service Unavailable",
        status: 503,
        code: "health.not_ready",
        detail: "Not ready: storage unavailable.",
        checks: { database: "ok", storage: "unavailable", queue: "ok", worker: "ok" },
      });
      expect(conformance.check(observed("/ready", res)).problems).toEqual([]);
    } finally {
      await failing.close();
    }
  });

  test("/ready with storage unreachable: 503 whose checks name storage", async () => {
    const down = await createTestApp({ deps: { storage: openUnreachableStorage() } });
    try {
      const res = await down.request<ProblemBody & { checks: Record<string, string> }>(
        "GET",
        "/ready",
      );
      expect(res.status).toBe(503);
      expect(res.headers.get("Content-Type")).toBe("application/problem+json");
      expect(res.body.checks).toEqual({
        database: "ok",
        storage: "unavailable",
        queue: "ok",
        worker: "ok",
      });
      expect(res.body.detail).toContain("storage");
      expect(res.body.detail).not.toContain("database");
      expect(conformance.check(observed("/ready", res)).problems).toEqual([]);
    } finally {
      await down.close();
    }
  });
});

describe("problem responses", () => {
  const expectProblem = (
    res: { status: number; headers: Headers; body: unknown },
    status: number,
  ) => {
    expect(res.status).toBe(status);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    const body = res.body as ProblemBody;
    expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
    expect(body.detail.length).toBeGreaterThan(0);
    return body;
  };

  test("unknown route is 404", async () => {
    expectProblem(await open.request("GET", "/api/v1/nothing-here"), 404);
  });

  test("wrong method is 405 with Allow", async () => {
    const res = await open.request("PUT", "/api/v1/types");
    expectProblem(res, 405);
    expect(res.headers.get("Allow")).toContain("POST");
  });

  test("malformed JSON is 400", async () => {
    const body = expectProblem(await open.request("POST", "/api/v1/types", "{ not json"), 400);
    expect(body.code).toBe("request.malformed_json");
  });

  test("wrong content type is 415", async () => {
    const body = expectProblem(
      await open.request("POST", "/api/v1/types", "name=x", { "Content-Type": "text/plain" }),
      415,
    );
    expect(body.code).toBe("request.unsupported_media_type");
  });

  test("a missing body is 400 naming the required field", async () => {
    const res = await open.app.request("/api/v1/types", { method: "POST" });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    const body = (await res.json()) as ProblemBody;
    expect(body.errors?.[0]?.path).toBe("name");
  });

  test("an uncaught error is 500 without internals", async () => {
    const broken = await createTestApp();
    await broken.close();
    const res = await broken.request("GET", "/api/v1/types");
    const body = expectProblem(res, 500);
    expect(JSON.stringify(body)).not.toMatch(/select|stack|at \//i);
  });
});

describe("request ids", () => {
  test("every response carries X-Request-Id, echoing a sane incoming one", async () => {
    const generated = await open.request("GET", "/health");
    expect(generated.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await open.request("GET", "/api/v1/types", undefined, {
      "X-Request-Id": "bench-42",
    });
    expect(echoed.headers.get("X-Request-Id")).toBe("bench-42");
    const problem = await open.request<ProblemBody & { requestId: string }>(
      "GET",
      "/api/v1/boxes/0",
      undefined,
      { "X-Request-Id": "bench-43" },
    );
    expect(problem.body.requestId).toBe("bench-43");
  });
});

describe("CORS", () => {
  test("allows only configured origins", async () => {
    const allowed = await open.request("GET", "/api/v1/types", undefined, {
      Origin: "http://bench.local:5173",
    });
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("http://bench.local:5173");
    const denied = await open.request("GET", "/api/v1/types", undefined, {
      Origin: "http://evil.example",
    });
    expect(denied.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const preflight = await open.app.request("/api/v1/types", {
      method: "OPTIONS",
      headers: { Origin: "http://bench.local:5173", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("POST");
  });
});

describe("bearer token", () => {
  test("with API_TOKEN set, /api/v1 needs the token", async () => {
    const none = await secured.request<ProblemBody>("GET", "/api/v1/types");
    expect(none.status).toBe(401);
    expect(none.headers.get("Content-Type")).toBe("application/problem+json");
    expect(none.headers.get("WWW-Authenticate")).toContain("Bearer");
    const wrong = await secured.request("GET", "/api/v1/types", undefined, {
      Authorization: `Bearer ${TOKEN}x`,
    });
    expect(wrong.status).toBe(401);
    const basic = await secured.request("GET", "/api/v1/types", undefined, {
      Authorization: `Basic ${TOKEN}`,
    });
    expect(basic.status).toBe(401);
    const right = await secured.request("GET", "/api/v1/types", undefined, {
      Authorization: `Bearer ${TOKEN}`,
    });
    expect(right.status).toBe(200);
  });

  test("health, readiness, the spec and the docs stay open", async () => {
    for (const path of ["/health", "/ready", "/openapi.json", "/docs"]) {
      expect((await secured.request("GET", path)).status).toBe(200);
    }
  });

  test("a short API_TOKEN is refused at startup", async () => {
    await expect(createTestApp({ env: { API_TOKEN: "short" } })).rejects.toThrow(/API_TOKEN/);
  });
});

describe("OpenAPI and docs", () => {
  test("/openapi.json is the committed document", async () => {
    const res = await open.request<Record<string, unknown>>("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const committed = await Bun.file(new URL("../openapi/openapi.json", import.meta.url)).json();
    expect(res.body).toEqual(committed);
  });

  test("every operation has a unique operationId, a tag and a summary", async () => {
    const res = await open.request<{
      paths: Record<
        string,
        Record<string, { operationId: string; tags: string[]; summary: string }>
      >;
    }>("GET", "/openapi.json");
    const operations = Object.values(res.body.paths).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThan(5);
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations) {
      expect(operation.tags.length).toBeGreaterThan(0);
      expect(operation.summary.length).toBeGreaterThan(0);
    }
  });

  test("every 201 and 202 answer documents its Location header", async () => {
    const res = await open.request<{
      paths: Record<
        string,
        Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>
      >;
    }>("GET", "/openapi.json");
    const answers = Object.entries(res.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, operation]) =>
        Object.entries(operation.responses)
          .filter(([status]) => status === "201" || status === "202")
          .map(([status, response]) => ({ at: `${method} ${path} ${status}`, response })),
      ),
    );
    expect(answers.length).toBeGreaterThanOrEqual(7);
    const undocumented = answers.filter(({ response }) => {
      const location = response.headers?.Location as
        | { description?: string; schema?: { type?: string } }
        | undefined;
      return !location?.description || location.schema?.type !== "string";
    });
    expect(undocumented.map(({ at }) => at)).toEqual([]);
  });

  test("/docs loads its script from this server, not a CDN", async () => {
    const page = await open.request<string>("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.body).toContain("/docs/assets/standalone.js");
    expect(page.body).not.toMatch(/https?:\/\/(cdn|fonts)\./);
    // The script itself would load its fonts from a CDN unless told not to.
    expect(page.body).toMatch(/"withDefaultFonts":\s*false/);
    const script = await open.app.request("/docs/assets/standalone.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("Content-Type")).toContain("javascript");
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});
