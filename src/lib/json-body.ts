import type { z } from "@hono/zod-openapi";
import { AppError } from "./errors";
import { toFieldErrors, validationProblem } from "./openapi";

/**
 * Reads and validates a JSON body by hand, for operations that take JSON or another media
 * type (an upload): the route validators would parse every declared type. Failures are
 * the same problems the validation hook and `app.onError` give.
 */
export async function readJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError(400, "request.malformed_json", "The request body is not valid JSON.");
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problem = validationProblem(toFieldErrors(result.error.issues, "json"));
  throw new AppError(400, problem.code, problem.detail, problem.errors);
}
