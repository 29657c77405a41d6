import { Readable } from "node:stream";
import type { Context } from "hono";
import type { Deps } from "../../deps";
import { readJsonBody } from "../../lib/json-body";
import { createRouter } from "../../lib/openapi";
import { unsupportedUploadMediaType } from "./documents.errors";
import * as routes from "./documents.routes";
import { LinkDocumentCreateSchema } from "./documents.schemas";
import * as service from "./documents.service";

/** The upload route takes multipart or JSON, so its body is read here, not by validators. */
async function createDocument(deps: Deps, partId: string, c: Context) {
  const contentType = c.req.header("content-type") ?? "";
  if (/^multipart\/form-data\b/i.test(contentType)) {
    const length = Number(c.req.header("content-length"));
    return service.uploadDocument(deps, partId, {
      body: c.req.raw.body ? Readable.fromWeb(c.req.raw.body as never) : Readable.from([]),
      contentType,
      contentLength: Number.isSafeInteger(length) ? length : undefined,
    });
  }
  if (/^application\/(.+\+)?json\b/i.test(contentType)) {
    const input = await readJsonBody(c.req.raw, LinkDocumentCreateSchema);
    return service.createLinkDocument(deps, partId, input);
  }
  throw unsupportedUploadMediaType();
}

export function createDocumentsRouter(deps: Deps) {
  const { db } = deps;
  const router = createRouter()
    .openapi(routes.createDocumentRoute, async (c) => {
      const document = await createDocument(deps, c.req.valid("param").partId, c);
      c.header("Location", `/api/v1/documents/${document.id}`);
      return c.json(document, 201);
    })
    .openapi(routes.listDocumentsRoute, async (c) =>
      c.json(await service.listDocuments(db, c.req.valid("param").partId), 200),
    )
    .openapi(routes.getDocumentRoute, async (c) =>
      c.json(await service.getDocument(db, c.req.valid("param").documentId), 200),
    )
    .openapi(routes.getDocumentContentRoute, async (c) => {
      const headers = c.req.valid("header");
      const answer = await service.openContent(deps, c.req.valid("param").documentId, {
        head: c.req.method === "HEAD",
        range: headers.range,
        ifNoneMatch: headers["if-none-match"],
      });
      if (answer.status === 416) {
        for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
        throw answer.error;
      }
      if (!answer.body) return c.body(null, answer.status, answer.headers);
      return c.body(Readable.toWeb(answer.body) as ReadableStream, answer.status, answer.headers);
    })
    .openapi(routes.getDocumentThumbnailRoute, async (c) => {
      const answer = await service.openThumbnail(
        deps,
        c.req.valid("param").documentId,
        c.req.valid("query").size,
        c.req.valid("header")["if-none-match"],
      );
      if (!answer.body) return c.body(null, answer.status, answer.headers);
      return c.body(Readable.toWeb(answer.body) as ReadableStream, 200, answer.headers);
    })
    .openapi(routes.deleteDocumentRoute, async (c) => {
      await service.deleteDocument(deps, c.req.valid("param").documentId);
      return c.body(null, 204);
    })
    .openapi(routes.setPartCoverRoute, async (c) => {
      const { partId } = c.req.valid("param");
      return c.json(await service.setPartCover(db, partId, c.req.valid("json").documentId), 200);
    });
  router.openAPIRegistry.register("LinkDocumentCreate", LinkDocumentCreateSchema);
  return router;
}
