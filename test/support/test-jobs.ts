import { z } from "@hono/zod-openapi";
import { defineJob, PermanentJobError } from "../../src/lib/jobs";

/** Test-only job kinds whose handlers the test steers through gates and counters. */
export function createTestKinds() {
  const gates = new Map<string, { release: () => void; wait: Promise<void> }>();
  const gate = (name: string) => {
    let entry = gates.get(name);
    if (!entry) {
      let release = () => {};
      const wait = new Promise<void>((resolve) => {
        release = resolve;
      });
      entry = { release, wait };
      gates.set(name, entry);
    }
    return entry;
  };
  const runs = new Map<string, number>();
  const countRun = (key: string) => {
    const n = (runs.get(key) ?? 0) + 1;
    runs.set(key, n);
    return n;
  };

  const echo = defineJob({
    name: "test.echo",
    queue: "ai",
    payload: z.object({ value: z.string() }),
    async handle(_deps, payload) {
      countRun(payload.value);
      return { echoed: payload.value };
    },
  });
  /** Runs on `plans` (one at a time): progress 0.5, then waits for its gate. */
  const gated = defineJob({
    name: "test.gated",
    queue: "plans",
    payload: z.object({ gate: z.string() }),
    async handle(_deps, payload, progress) {
      await progress(0.5, "halfway");
      await gate(payload.gate).wait;
      return { gate: payload.gate };
    },
  });
  const flaky = defineJob({
    name: "test.flaky",
    queue: "ai",
    payload: z.object({ key: z.string(), failures: z.number().int() }),
    async handle(_deps, payload) {
      const run = countRun(payload.key);
      if (run <= payload.failures) throw new Error(`flaky failure ${run}`);
      return { run };
    },
  });
  const broken = defineJob({
    name: "test.broken",
    queue: "ai",
    payload: z.object({ key: z.string() }),
    async handle(_deps, payload) {
      countRun(payload.key);
      throw new PermanentJobError("the input cannot be used");
    },
  });
  return {
    kinds: [echo, gated, flaky, broken],
    echo,
    gated,
    flaky,
    broken,
    release: (name: string) => gate(name).release(),
    runsOf: (key: string) => runs.get(key) ?? 0,
  };
}
