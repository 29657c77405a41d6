import { createApp } from "./app";
import { closeDeps, createDeps } from "./deps";
import { loadEnv } from "./env";

const env = loadEnv();
const deps = await createDeps(env);
const app = createApp(deps);

const server = Bun.serve({
  port: env.PORT,
  hostname: env.HOST,
  fetch: app.fetch,
  maxRequestBodySize: 1024 * 1024 * 1024,
});
deps.logger.info(
  { port: server.port, database: deps.database.kind },
  `listening on http://localhost:${server.port}`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  deps.logger.info({ signal }, "shutting down: finishing requests in flight");
  await server.stop(false);
  await closeDeps(deps);
  deps.logger.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
