import { z } from "@hono/zod-openapi";
import { defineJob } from "../../lib/jobs";
import { makeDocumentThumbnails } from "./documents.service";

/** Queued with every image document's row; makes its `sm` and `md` WebP thumbnails. */
export const thumbnailJob = defineJob({
  name: "documents.thumbnail",
  queue: "media",
  payload: z.object({ documentId: z.uuid() }),
  handle: (deps, payload, progress) => makeDocumentThumbnails(deps, payload.documentId, progress),
});

export const documentJobKinds = [thumbnailJob];
