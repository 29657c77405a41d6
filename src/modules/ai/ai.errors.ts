import { unavailable } from "../../lib/errors";

export const aiNotConfigured = () =>
  unavailable(
    "ai.not_configured",
    "The AI helpers are not configured on this server (OPENAI_API_KEY is unset); nothing was started.",
  );
