import { badRequest, conflict, notFound } from "../../lib/errors";

export const planNotFound = (planId: string) =>
  notFound("reorg.plan_not_found", `Reorganisation plan ${planId} does not exist.`);

export const planExpired = (planId: string, expiresAt: Date) =>
  conflict(
    "reorg.plan_expired",
    `Reorganisation plan ${planId} expired at ${expiresAt.toISOString()}; nothing was applied. Create a new plan.`,
  );

export const planNotReady = (planId: string, status: string) =>
  conflict(
    "reorg.plan_not_ready",
    status === "failed"
      ? `Reorganisation plan ${planId} failed to compute; nothing was applied. Create a new plan.`
      : `Reorganisation plan ${planId} is still ${status}; apply it once its job has finished.`,
  );

/** Moves that no longer fit the current stock, each with what its slots hold now. */
export const movesNoLongerFit = (stale: string[]) => {
  const shown = stale.slice(0, 5).join(" ");
  const more = stale.length > 5 ? ` …and ${stale.length - 5} more.` : "";
  return conflict(
    "reorg.moves_stale",
    `${stale.length} move(s) no longer fit the current stock: ${shown}${more} Nothing was applied; create a new plan.`,
  );
};

export const unknownMoves = (indexes: number[]) =>
  badRequest(
    "reorg.unknown_moves",
    `${indexes.length} of the given move ids are not moves of this plan.`,
    indexes.map((index) => ({ path: `moveIds.${index}`, message: "Not a move of this plan." })),
  );
