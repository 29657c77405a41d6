import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "../../lib/openapi";
import { PageOf, PageQuery } from "../../lib/pagination";
import { BoxNo, IdParam, LocNo, requiredText, text, timestamp } from "../../lib/schemas";
import { PartId, Qty } from "../parts/parts.schemas";
import { ShoppingItemSchema } from "../shopping/shopping.schemas";

const coverageStatuses = ["enough", "partial", "missing"] as const;
export type CoverageStatus = (typeof coverageStatuses)[number];

const CoverageStatusSchema = z.enum(coverageStatuses).openapi("CoverageStatus", {
  description:
    "`enough`: stock covers the need; `partial`: some stock, not enough; `missing`: none (always for a placeholder).",
});

const Kits = z.number().int().min(1).max(10_000).openapi({
  description: "How many copies of the project; quantities are multiplied by it.",
  example: 1,
});

export const PlaceholderSchema = z
  .object({
    manufacturerCode: requiredText(100).openapi({ example: "NE555P" }),
    description: requiredText(500).openapi({ example: "555 timer, DIP-8" }),
  })
  .openapi("RequirementPlaceholder", {
    description: "A part not in the catalogue yet, named by its manufacturer code.",
  });

export const RequirementSchema = z
  .object({
    id: z.number().int().openapi({ example: 8 }),
    partId: z.string().nullable().openapi({ example: "BZQP" }),
    placeholder: PlaceholderSchema.nullable(),
    part: z
      .object({
        description: z.string().openapi({ example: "Relay 5 V SPST 5 A" }),
        manufacturerCode: z.string().nullable().openapi({ example: "G5Q-1A4" }),
      })
      .nullable()
      .openapi({ description: "Catalogue fields of the required part." }),
    requiredQty: z.number().int().openapi({ description: "Per kit.", example: 2 }),
    neededQty: z.number().int().openapi({ description: "requiredQty × kits.", example: 4 }),
    availableQty: z.number().int().openapi({ description: "Stock of the part.", example: 3 }),
    shortfall: z.number().int().openapi({ description: "neededQty − availableQty, at least 0." }),
    status: CoverageStatusSchema,
    matchingPartId: z.string().nullable().openapi({
      description:
        "For a placeholder: a catalogued part with the same manufacturer code, which `PATCH` can link.",
      example: null,
    }),
  })
  .openapi("ProjectRequirement");

export const ProjectSchema = z
  .object({
    id: z.number().int().openapi({ example: 3 }),
    name: z.string().openapi({ example: "Garage door opener" }),
    notes: z.string().openapi({ example: "" }),
    requirementCount: z.number().int().openapi({ example: 5 }),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .openapi("Project");

export const ProjectDetailSchema = ProjectSchema.extend({
  kits: Kits,
  status: CoverageStatusSchema.openapi({
    description:
      "`enough` when every requirement is covered (or there are none), `missing` when no requirement has any stock, `partial` otherwise.",
  }),
  requirements: z.array(RequirementSchema),
}).openapi("ProjectDetail");

export const ProjectPageSchema = PageOf(ProjectSchema, "ProjectPage");

export const ProjectCreateSchema = z
  .object({
    name: requiredText(200).openapi({ example: "Garage door opener" }),
    notes: text(5000).default(""),
  })
  .openapi("ProjectCreate");

export const ProjectUpdateSchema = z
  .object({ name: requiredText(200).optional(), notes: text(5000).optional() })
  .openapi("ProjectUpdate");

const exactlyOneSource = (
  value: { partId?: string; placeholder?: unknown },
  ctx: z.RefinementCtx,
) => {
  if (value.partId !== undefined && value.placeholder !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["placeholder"],
      message: "Give either partId or placeholder, not both.",
    });
  }
};

export const RequirementCreateSchema = z
  .object({
    partId: PartId.optional(),
    placeholder: PlaceholderSchema.optional(),
    requiredQty: Qty.openapi({ description: "Per kit, more than 0.", example: 2 }),
  })
  .superRefine((value, ctx) => {
    exactlyOneSource(value, ctx);
    if (value.partId === undefined && value.placeholder === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["partId"],
        message: "Give either partId or placeholder.",
      });
    }
  })
  .openapi("RequirementCreate", { description: "Exactly one of `partId` and `placeholder`." });

export const RequirementUpdateSchema = z
  .object({
    partId: PartId.optional().openapi({
      description: "Links the requirement to this part and drops its placeholder.",
    }),
    placeholder: PlaceholderSchema.optional().openapi({
      description: "Replaces the part with a placeholder.",
    }),
    requiredQty: Qty.optional(),
  })
  .superRefine(exactlyOneSource)
  .openapi("RequirementUpdate", { description: "At most one of `partId` and `placeholder`." });

export const KitsQuery = z.object({
  kits: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(1)
    .openapi({
      param: { name: "kits", in: "query" },
      description: "Copies to cover, 1 by default.",
    }),
});

export const ShortagesSchema = z.object({ kits: Kits.default(1) }).openapi("ShortagesRequest");

export const ShortagesResultSchema = z
  .object({
    kits: Kits,
    items: z.array(ShoppingItemSchema).openapi({
      description:
        "The open item covering each shortfall, in requirement order: created, raised or already enough. A repeated run answers the same items.",
    }),
    created: z.number().int().openapi({ description: "Items created in this call.", example: 2 }),
    updated: z.number().int().openapi({
      description: "Items whose quantity was raised to a grown shortfall.",
      example: 0,
    }),
    unchanged: z.number().int().openapi({
      description: "Shortfalls already covered by an open item with at least that quantity.",
      example: 1,
    }),
  })
  .openapi("ShortagesResult");

export const PickSchema = z
  .object({ partId: PartId, boxNo: BoxNo, locNo: LocNo, qty: Qty })
  .openapi("BuildPick");

export const BuildSchema = z
  .object({
    kits: Kits.default(1),
    picks: z.array(PickSchema).min(1).max(1000).optional().openapi({
      description:
        "Slots to take stock from; per part they must add up to requiredQty × kits. Omitted: the server takes from the emptiest slots first, freeing them.",
    }),
  })
  .openapi("BuildRequest");

export const BuildResultSchema = z
  .object({
    projectId: z.number().int().openapi({ example: 3 }),
    kits: Kits,
    removals: z
      .array(
        z
          .object({
            partId: z.string().openapi({ example: "BZQP" }),
            boxNo: BoxNo,
            locNo: LocNo,
            code: z.string().openapi({ example: "7-3" }),
            qty: z.number().int().openapi({ description: "Taken from the slot.", example: 2 }),
            remainingQty: z
              .number()
              .int()
              .openapi({ description: "Left in the slot.", example: 0 }),
          })
          .openapi("BuildRemoval"),
      )
      .openapi({ description: "In box/slot order." }),
  })
  .openapi("BuildResult");

export const BuildShortageSchema = z
  .object({
    requirementId: z.number().int().openapi({ example: 8 }),
    partId: z
      .string()
      .nullable()
      .openapi({ description: "Null for a placeholder.", example: "BZQP" }),
    placeholder: PlaceholderSchema.nullable().openapi({
      description: "The placeholder, which has no stock until linked to a catalogued part.",
    }),
    required: z.number().int().openapi({ description: "requiredQty × kits.", example: 4 }),
    available: z
      .number()
      .int()
      .openapi({ description: "Stock of the part (0 for a placeholder).", example: 1 }),
    shortfall: z
      .number()
      .int()
      .openapi({ description: "required − available, more than 0.", example: 3 }),
  })
  .openapi("BuildShortage", { description: "A requirement the stock cannot cover." });

export const BuildConflictSchema = ProblemSchema.extend({
  shortages: z.array(BuildShortageSchema).optional().openapi({
    description:
      "Extension member, with code `projects.insufficient_stock`: every short requirement (parts and placeholders alike), in requirement order. Nothing was deducted.",
  }),
}).openapi("BuildConflict", {
  description:
    "Why the build cannot run: short stock (`projects.insufficient_stock`, with `shortages`), picked slots holding too little or another part, no requirements, or a reused `Idempotency-Key`.",
});

export const ProjectIdParams = z.object({
  projectId: IdParam("projectId", "Project id."),
});

export const RequirementIdParams = ProjectIdParams.extend({
  requirementId: IdParam("requirementId", "Requirement id."),
});

export const ProjectListQuery = z.object(PageQuery);

export type RequirementDto = z.infer<typeof RequirementSchema>;
export type ProjectCreate = z.infer<typeof ProjectCreateSchema>;
export type ProjectUpdate = z.infer<typeof ProjectUpdateSchema>;
export type RequirementCreate = z.infer<typeof RequirementCreateSchema>;
export type RequirementUpdate = z.infer<typeof RequirementUpdateSchema>;
export type Pick = z.infer<typeof PickSchema>;
export type Build = z.infer<typeof BuildSchema>;
export type BuildShortage = z.infer<typeof BuildShortageSchema>;
