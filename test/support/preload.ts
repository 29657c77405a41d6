// Validates the test environment once per process. TEST_DATABASE_URL chooses a real
// PostgreSQL server (an admin URL; each test app gets its own fresh database); without it
// the tests run on embedded PGlite.
import { afterAll, beforeAll } from "bun:test";
import { dropTemplate, overSocket, prepareTemplateOnce, socketStats } from "./app";

const url = process.env.TEST_DATABASE_URL;
if (url && !/^postgres(ql)?:\/\//.test(url)) {
  console.error("TEST_DATABASE_URL must be a postgres:// URL");
  process.exit(1);
}
console.error(`[tests] database: ${url ? "PostgreSQL server" : "embedded PGlite"}`);

beforeAll(prepareTemplateOnce, 300_000);
afterAll(dropTemplate);
if (overSocket) {
  afterAll(() => {
    const { requests, connections, connectionErrors, serverErrors } = socketStats;
    console.error(
      `[tests] over a listening server: ${requests} requests on ${connections} connections, ${connectionErrors} connection errors, ${serverErrors} 5xx`,
    );
  });
}
