// Writes openapi/openapi.json from the route definitions: `bun run openapi [--check]`.
import { createApp } from "../app";
import type { Deps } from "../deps";
import { parseEnv } from "../env";
import { buildOpenApiDocument } from "../lib/openapi-document";
import type { Database } from "../platform/db";
import { createLogger } from "../platform/logger";
import type { Metrics } from "../platform/metrics";
import type { SafeFetcher } from "../platform/safe-fetch";
import type { Storage } from "../platform/storage";

const target = new URL("../../openapi/openapi.json", import.meta.url);

function untouchable<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => {
      throw new Error(`the OpenAPI generator does not touch the ${what}`);
    },
  });
}
const noDatabase = untouchable<Database>("database");
const deps: Deps = {
  env: parseEnv({}),
  database: noDatabase,
  db: noDatabase as unknown as Deps["db"],
  logger: createLogger("silent"),
  storage: untouchable<Storage>("storage"),
  metrics: untouchable<Metrics>("metrics"),
  fetcher: untouchable<SafeFetcher>("fetcher"),
  newPartId: () => "AAAA",
  readiness: {},
};
const document = buildOpenApiDocument(createApp(deps));
const text = `${JSON.stringify(document, null, 2)}\n`;

if (process.argv.includes("--check")) {
  const current = await Bun.file(target)
    .text()
    .catch(() => "");
  if (current !== text) {
    console.error("openapi/openapi.json is stale: run `bun run openapi` and commit it.");
    process.exit(1);
  }
  console.log("openapi/openapi.json is up to date");
} else {
  await Bun.write(target, text);
  console.log(`wrote ${target.pathname}`);
}
