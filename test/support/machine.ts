/**
 * Whether a test that needs a tool of the machine (Chromium, root for a network namespace)
 * should run. Where the tool is there, it runs. Under CI (`CI=true`) it runs anyway and
 * fails loudly naming what is missing, so CI can never pass without it. On a laptop with
 * only Node and npm it is skipped, saying why, so `npm test` works there.
 */
export function machineCanRun(what: string, available: boolean): boolean {
  if (available || process.env.CI === "true" || process.env.CI === "1") return true;
  console.error(`[skipped] ${what}: not on this machine (CI requires it)`);
  return false;
}
