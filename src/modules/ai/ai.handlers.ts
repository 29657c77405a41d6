import { Readable } from "node:stream";
import type { Deps } from "../../deps";
import { createRouter } from "../../lib/openapi";
import { unsupportedUploadMediaType } from "../documents/documents.errors";
import { jobLocation, toJob } from "../jobs/jobs.schemas";
import * as routes from "./ai.routes";
import * as service from "./ai.service";

export function createAiRouter(deps: Deps) {
  return createRouter()
    .openapi(routes.analyzePartRoute, async (c) => {
      const { partId } = c.req.valid("param");
      const job = await service.requestAnalysis(deps, partId, c.req.valid("json"));
      return c.json(toJob(job), 202, { Location: jobLocation(job.id) });
    })
    .openapi(routes.discoverDatasheetRoute, async (c) => {
      const job = await service.requestDiscovery(deps, c.req.valid("param").partId);
      return c.json(toJob(job), 202, { Location: jobLocation(job.id) });
    })
    .openapi(routes.photoIntakeRoute, async (c) => {
      const contentType = c.req.header("content-type") ?? "";
      if (!/^multipart\/form-data\b/i.test(contentType)) throw unsupportedUploadMediaType();
      const length = Number(c.req.header("content-length"));
      const job = await service.requestPhotoIntake(deps, {
        body: c.req.raw.body ? Readable.fromWeb(c.req.raw.body as never) : Readable.from([]),
        contentType,
        contentLength: Number.isSafeInteger(length) ? length : undefined,
      });
      return c.json(toJob(job), 202, { Location: jobLocation(job.id) });
    });
}
