// `bun run storage:sweep [--dry-run] [--grace-minutes=60]`: deletes stored objects that
// no document row points at (older than the grace period) and lists rows whose object is
// missing. Prints the report as JSON; exits 1 when rows are missing their objects.
import { closeDeps, createDeps } from "../deps";
import { loadEnv } from "../env";
import { DEFAULT_SWEEP_GRACE_MS, sweepStorage } from "../modules/documents/documents.sweep";

const dryRun = process.argv.includes("--dry-run");
const graceArg = process.argv.find((arg) => arg.startsWith("--grace-minutes="));
const graceMinutes = graceArg ? Number(graceArg.split("=")[1]) : DEFAULT_SWEEP_GRACE_MS / 60_000;
if (!Number.isFinite(graceMinutes) || graceMinutes < 0) {
  console.error("--grace-minutes must be a number of minutes, 0 or more");
  process.exit(2);
}

const deps = await createDeps(loadEnv());
try {
  const report = await sweepStorage(deps, { graceMs: graceMinutes * 60_000, dryRun });
  console.log(JSON.stringify({ dryRun, graceMinutes, ...report }, null, 2));
  process.exitCode = report.missing.length > 0 ? 1 : 0;
} finally {
  await closeDeps(deps);
}
