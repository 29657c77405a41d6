/** A field-level problem, as listed in a problem response's `errors`. */
export interface FieldError {
  path: string;
  message: string;
}

/** Problem members beyond RFC 9457's own, e.g. a build's `shortages` (each one documented). */
export type ProblemExtensions = Record<string, unknown>;

/**
 * The one error type services and repositories throw. It never imports Hono so the
 * worker and scripts can reuse every service unchanged.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly extensions?: ProblemExtensions,
  ) {
    super(detail);
    this.name = "AppError";
  }
}

export const badRequest = (code: string, detail: string, errors?: FieldError[]) =>
  new AppError(400, code, detail, errors);
export const notFound = (code: string, detail: string) => new AppError(404, code, detail);
export const conflict = (code: string, detail: string, extensions?: ProblemExtensions) =>
  new AppError(409, code, detail, undefined, extensions);
export const unavailable = (code: string, detail: string, extensions?: ProblemExtensions) =>
  new AppError(503, code, detail, undefined, extensions);

/** RFC 9457 problem details body, with any extension members of its error. */
export interface Problem {
  [extension: string]: unknown;
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  requestId?: string;
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  422: "Unprocessable Content",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function statusTitle(status: number): string {
  return titles[status] ?? "Error";
}

export function toProblem(error: AppError, requestId?: string): Problem {
  return {
    // Extensions first: they never override the standard members.
    ...error.extensions,
    type: `/problems/${error.code.replaceAll(".", "-").replaceAll("_", "-")}`,
    title: statusTitle(error.status),
    status: error.status,
    detail: error.detail,
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";
