import { z } from "@hono/zod-openapi";
import { defineJob } from "../../lib/jobs";
import { analyzePart, discoverDatasheet, runPhotoIntake } from "./ai.service";

const PartIdPayload = z.string().regex(/^[A-Z]{4}$/);

/** Suggests tags, a type and attributes for a part; applies them when asked. */
export const analyzeJob = defineJob({
  name: "ai.analyze",
  queue: "ai",
  payload: z.object({ partId: PartIdPayload, apply: z.boolean() }),
  handle: (deps, payload, progress) => analyzePart(deps, payload, progress),
});

/** Finds a datasheet PDF for a part and stores it under the payload's document id. */
export const discoverDatasheetJob = defineJob({
  name: "ai.discover_datasheet",
  queue: "ai",
  payload: z.object({ partId: PartIdPayload, documentId: z.uuid() }),
  handle: (deps, payload, progress) => discoverDatasheet(deps, payload, progress),
});

/** Reads a draft photo with the vision model, then looks for its datasheet. */
export const photoIntakeJob = defineJob({
  name: "ai.photo_intake",
  queue: "ai",
  payload: z.object({ photoDocumentId: z.uuid(), datasheetDocumentId: z.uuid() }),
  handle: (deps, payload, progress) => runPhotoIntake(deps, payload, progress),
});

export const aiJobKinds = [analyzeJob, discoverDatasheetJob, photoIntakeJob];
