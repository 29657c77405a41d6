import { unavailable } from "../../lib/errors";

/** `/ready`'s 503: a problem naming each failing check, with every check as `checks`. */
export const notReady = (checks: Record<string, string>, reasons: Record<string, string> = {}) => {
  const failing = Object.keys(checks)
    .filter((name) => checks[name] !== "ok")
    .map((name) =>
      reasons[name] ? `${name} unavailable (${reasons[name]})` : `${name} unavailable`,
    );
  return unavailable("health.not_ready", `Not ready: ${failing.join(", ")}.`, { checks });
};
