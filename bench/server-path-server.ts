// The API served over one of three server paths, for bench:server-path. SERVER_PATH:
// - bridge: src/platform/http-server.ts (what src/main.ts runs), over Bun's node:http;
// - hono-node: @hono/node-server's request listener over Bun's node:http;
// - bun-serve: Bun.serve. It drops a handler's Content-Length on every streamed body
//   (oven-sh/bun#10507), so a download is answered with a sized body instead: the stored
//   file as a `Bun.file` slice, which only exists for the directory storage (an S3 object
//   arrives as a stream of known length, and Bun has no sized body type for that).
import { createServer } from "node:http";
import { join } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { createApp } from "../src/app";
import { createDeps } from "../src/deps";
import { loadEnv } from "../src/env";
import { documentsTable } from "../src/modules/documents/documents.table";
import { serveHttp } from "../src/platform/http-server";

const IDLE_TIMEOUT_S = 120;
const env = loadEnv();
const deps = await createDeps(env);
const app = createApp(deps);
const path = process.env.SERVER_PATH ?? "bridge";

if (path === "bridge") {
  await serveHttp(app.fetch, {
    port: env.PORT,
    hostname: env.HOST,
    idleTimeoutSeconds: IDLE_TIMEOUT_S,
  });
} else if (path === "hono-node") {
  const server = createServer(getRequestListener(app.fetch));
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 0;
  server.timeout = IDLE_TIMEOUT_S * 1000;
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST, resolve));
} else if (path === "bun-serve") {
  const CONTENT = /^\/api\/v1\/documents\/([^/]+)\/content$/;
  Bun.serve({
    port: env.PORT,
    hostname: env.HOST,
    idleTimeout: IDLE_TIMEOUT_S,
    maxRequestBodySize: env.MAX_UPLOAD_BYTES * 2,
    async fetch(request) {
      const response = await app.fetch(request);
      const id = CONTENT.exec(new URL(request.url).pathname)?.[1];
      if (!id || !response.body || (response.status !== 200 && response.status !== 206)) {
        return response;
      }
      // The app answered with a stream of known length; Bun.serve would send it chunked.
      // Answer the same bytes as a sized file slice, which Bun sends with its length.
      await response.body.cancel();
      const [doc] = await deps.db
        .select({ bucket: documentsTable.bucket, key: documentsTable.storageKey })
        .from(documentsTable)
        .where(eq(documentsTable.id, id));
      const file = Bun.file(join(env.DATA_DIR, "files", doc!.bucket!, doc!.key!));
      const range = /bytes (\d+)-(\d+)\//.exec(response.headers.get("content-range") ?? "");
      const body = range ? file.slice(Number(range[1]), Number(range[2]) + 1) : file;
      return new Response(body, { status: response.status, headers: response.headers });
    },
  });
} else {
  throw new Error(`SERVER_PATH must be bridge, hono-node or bun-serve, not ${path}`);
}
