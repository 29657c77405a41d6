// A worker process with the registry's job kinds plus test kinds, for tests that kill it.
import { appendFileSync } from "node:fs";
import { z } from "@hono/zod-openapi";
import { defineJob } from "../../src/lib/jobs";
import { jobKinds } from "../../src/modules/index";
import { runWorker } from "../../src/worker";

/** Appends "start <id>" and, after `ms`, "done <id>" to MARK_FILE. */
const slow = defineJob({
  name: "test.slow",
  queue: "plans",
  payload: z.object({ id: z.string(), ms: z.number().int() }),
  async handle(_deps, payload, progress) {
    const file = process.env.MARK_FILE!;
    appendFileSync(file, `start ${payload.id}\n`);
    await progress(0.1, "sleeping");
    await Bun.sleep(payload.ms);
    appendFileSync(file, `done ${payload.id}\n`);
    return { id: payload.id };
  },
});

await runWorker([...jobKinds, slow]);
