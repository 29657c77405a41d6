import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type FieldError, PROBLEM_CONTENT_TYPE, type Problem, statusTitle } from "./errors";

export const FieldErrorSchema = z
  .object({
    path: z.string().openapi({ example: "capacity" }),
    message: z.string().openapi({ example: "Too big: expected number to be <=1000" }),
  })
  .openapi("FieldError");

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/validation-failed" }),
    title: z.string().openapi({ example: "Bad Request" }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: "The request has 1 invalid field." }),
    code: z.string().openapi({
      description: "Stable machine-readable error code.",
      example: "validation.failed",
    }),
    errors: z.array(FieldErrorSchema).optional(),
    requestId: z.string().optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem details." });

const errorDescriptions: Record<number, string> = {
  400: "Malformed or invalid input; `errors` names each bad field.",
  401: "Missing or wrong bearer token.",
  404: "The resource does not exist.",
  409: "Conflicts with the current state; `detail` names the rows or locations.",
  413: "The upload is larger than allowed.",
  415: "Unsupported content type.",
  416: "The requested range cannot be satisfied.",
  503: "A dependency is unavailable or not configured.",
};

/** A problem+json response declaration, for a problem schema with extension members. */
export function problemResponseOf<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema } } };
}

/** Documented problem responses for a route, e.g. `errorResponses(400, 404, 409)`. */
export function errorResponses(...statuses: number[]) {
  const responses: Record<number, ReturnType<typeof problemResponseOf<typeof ProblemSchema>>> = {};
  for (const status of statuses) {
    const description = errorDescriptions[status] ?? statusTitle(status);
    responses[status] = problemResponseOf(ProblemSchema, description);
  }
  return responses;
}

/** JSON request body declaration; bodies are required so an empty POST is not `{}`. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    description,
    content: { "application/json": { schema } },
  } as const;
}

/** JSON response declaration. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

/** A documented `Location` header, so generated SDKs expose it. */
function locationHeader(description: string) {
  return { Location: { description, schema: { type: "string" as const } } };
}

/**
 * A 201 answer: the new resource as JSON and its path in `Location`, named by a template
 * such as `/api/v1/types/{typeId}`. Every create route declares its 201 with this.
 */
export function createdResponse<T extends z.ZodType>(
  schema: T,
  description: string,
  locationTemplate?: string,
) {
  const location = locationTemplate
    ? `Path of the new resource: \`${locationTemplate}\`.`
    : "Path of the new resource.";
  return { ...jsonResponse(schema, description), headers: locationHeader(location) } as const;
}

/** A 202 answer: the job handed to the worker, and `Location: /api/v1/jobs/{jobId}`. */
export function acceptedResponse<T extends z.ZodType>(schema: T, description: string) {
  return {
    ...jsonResponse(schema, description),
    headers: locationHeader("Path of the job: `/api/v1/jobs/{jobId}`; poll it for the result."),
  } as const;
}

export function problemResponse(c: Context, problem: Problem) {
  return c.json(problem, problem.status as ContentfulStatusCode, {
    "Content-Type": PROBLEM_CONTENT_TYPE,
  });
}

export function validationProblem(errors: FieldError[], requestId?: string): Problem {
  return {
    type: "/problems/validation-failed",
    title: statusTitle(400),
    status: 400,
    detail:
      errors.length === 1
        ? `Invalid ${errors[0]?.path || "input"}: ${errors[0]?.message}`
        : `The request has ${errors.length} invalid fields.`,
    code: "validation.failed",
    errors,
    ...(requestId ? { requestId } : {}),
  };
}

/** zod issues as problem `errors`, one per bad field; `target` names a whole-body issue. */
export function toFieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  target: string,
): FieldError[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join(".") || target,
    message: issue.message,
  }));
}

/** A router whose validation failures answer problem+json naming every bad field. */
export function createRouter() {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = toFieldErrors(result.error.issues, result.target);
      return problemResponse(c, validationProblem(errors, c.get("requestId")));
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
