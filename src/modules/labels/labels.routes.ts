import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses } from "../../lib/openapi";
import { PartIdParams } from "../parts/parts.schemas";
import { LabelQuery } from "./labels.schemas";

export const getLabelRoute = createRoute({
  method: "get",
  path: "/parts/{partId}/label",
  operationId: "getPartLabel",
  tags: ["Parts"],
  summary: "A printable label for a part",
  description:
    "The id in large letters, the start of the description and, with `barcode=true`, a Code 128 barcode of the id. Drawn for 300 dpi; the default 62 × 29 mm suits common label-printer tape (PNG: 732 × 343 pixels).",
  request: { params: PartIdParams, query: LabelQuery },
  responses: {
    200: {
      description: "The label.",
      content: {
        "image/svg+xml": { schema: z.string().openapi({ description: "SVG document." }) },
        "image/png": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...errorResponses(400, 401, 404),
  },
});
