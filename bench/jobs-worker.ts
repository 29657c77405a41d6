// The worker process of bench:jobs: the registry's kinds plus a no-op kind.
import { z } from "@hono/zod-openapi";
import { defineJob } from "../src/lib/jobs";
import { jobKinds } from "../src/modules/index";
import { runWorker } from "../src/worker";

export const noopJob = defineJob({
  name: "bench.noop",
  queue: "ai",
  payload: z.object({ n: z.number().int() }),
  handle: async (_deps, payload) => ({ n: payload.n }),
});

if (import.meta.main) await runWorker([...jobKinds, noopJob]);
