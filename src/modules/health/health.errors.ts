import { unavailable } from "../../lib/errors";

/** `/ready`'s 503: a problem naming each failing check, with every check as `checks`. */
export const notReady = (checks: Record<string, string>) => {
  const failing = Object.keys(checks).filter((name) => checks[name] !== "ok");
  return unavailable("health.not_ready", `Not ready: ${failing.join(", ")} unavailable.`, {
    checks,
  });
};
