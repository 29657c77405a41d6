import { z } from "@hono/zod-openapi";

const millimetres = (name: string, min: number, max: number, example: number) =>
  z.coerce
    .number()
    .min(min)
    .max(max)
    .default(example)
    .openapi({
      param: { name, in: "query" },
      description: `Label ${name === "widthMm" ? "width" : "height"} in millimetres, ${min}..${max}.`,
      example,
    });

export const LabelQuery = z.object({
  format: z
    .enum(["svg", "png"])
    .default("svg")
    .openapi({ param: { name: "format", in: "query" }, description: "`svg` (default) or `png`." }),
  barcode: z
    .enum(["true", "false"])
    .default("false")
    .openapi({
      param: { name: "barcode", in: "query" },
      description: "`true` adds a Code 128 barcode of the id.",
    }),
  widthMm: millimetres("widthMm", 20, 200, 62),
  heightMm: millimetres("heightMm", 10, 200, 29),
});

export type LabelParams = z.infer<typeof LabelQuery>;
