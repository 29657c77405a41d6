// The app as the OpenAPI generator sees it: real routes, no database, storage or broker.
import { createApp } from "../app";
import type { Deps } from "../deps";
import { parseEnv } from "../env";
import type { Database } from "../platform/db";
import { createLogger } from "../platform/logger";
import type { Metrics } from "../platform/metrics";
import type { SafeFetcher } from "../platform/safe-fetch";
import type { Storage } from "../platform/storage";

function untouchable<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => {
      throw new Error(`the OpenAPI generator does not touch the ${what}`);
    },
  });
}

/** An app whose routes and schemas are complete but which touches no dependency. */
export function createDocumentApp() {
  const noDatabase = untouchable<Database>("database");
  const deps: Deps = {
    env: parseEnv({}),
    database: noDatabase,
    db: noDatabase as unknown as Deps["db"],
    logger: createLogger("silent"),
    storage: untouchable<Storage>("storage"),
    ai: undefined,
    metrics: untouchable<Metrics>("metrics"),
    fetcher: untouchable<SafeFetcher>("fetcher"),
    newPartId: () => "AAAA",
    readiness: {},
  };
  return createApp(deps);
}
