import type { z } from "@hono/zod-openapi";

/**
 * A JSON body a client may leave out entirely: without a Content-Type and body the
 * handler sees `{}`, so every field needs a default applied by the service.
 */
export function optionalJsonBody<T extends z.ZodType>(schema: T, description: string) {
  return {
    required: false,
    description,
    content: { "application/json": { schema } },
  } as const;
}
