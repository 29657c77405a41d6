/** A field-level problem, as listed in a problem response's `errors`. */
export interface FieldError {
  path: string;
  message: string;
}

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
  ) {
    super(detail);
    this.name = "AppError";
  }
}

export const badRequest = (code: string, detail: string, errors?: FieldError[]) =>
  new AppError(400, code, detail, errors);
export const notFound = (code: string, detail: string) => new AppError(404, code, detail);
export const conflict = (code: string, detail: string) => new AppError(409, code, detail);
export const unavailable = (code: string, detail: string) => new AppError(503, code, detail);

/** RFC 9457 problem details body. */
export interface Problem {
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
