import type { Job } from "../../src/modules/jobs/jobs.schemas";
import type { TestApp } from "./app";

/** Polls a job until it succeeded or failed and answers it; throws after `timeoutMs`. */
export async function waitForJob(
  t: TestApp,
  jobId: string,
  options: { timeoutMs?: number } = {},
): Promise<Job> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: Job | undefined;
  while (Date.now() < deadline) {
    const res = await t.request<Job>("GET", `/api/v1/jobs/${jobId}`);
    if (res.status !== 200) throw new Error(`GET job ${jobId}: ${res.status}`);
    last = res.body;
    if (last.status === "succeeded" || last.status === "failed") return last;
    await Bun.sleep(25);
  }
  throw new Error(`job ${jobId} still ${last?.status} after ${options.timeoutMs ?? 20_000} ms`);
}
