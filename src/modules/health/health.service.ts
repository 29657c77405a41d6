const CHECK_TIMEOUT_MS = 2000;

/**
 * A failed check whose message is safe to show on the open `/ready` ("no worker seen for
 * 42 s"); other errors (a driver's, naming hosts) are only logged.
 */
export class ReadinessFailure extends Error {}

/** Runs every readiness check in parallel, each bounded by a timeout. */
export async function checkReadiness(
  checks: Record<string, () => Promise<void>>,
  onFailure: (name: string, error: unknown) => void,
) {
  const reasons: Record<string, string> = {};
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), CHECK_TIMEOUT_MS);
        return [name, "ok"] as const;
      } catch (error) {
        onFailure(name, error);
        if (error instanceof ReadinessFailure) reasons[name] = error.message;
        return [name, "unavailable"] as const;
      }
    }),
  );
  const failed = entries.some(([, result]) => result !== "ok");
  return {
    status: failed ? ("unavailable" as const) : ("ok" as const),
    checks: Object.fromEntries(entries),
    reasons,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
