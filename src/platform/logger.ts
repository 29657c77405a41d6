import pino from "pino";
import type { Env } from "../env";

export type Logger = pino.Logger;

/** Most time a log line waits in the buffer when traffic is low. */
const FLUSH_EVERY_MS = 1000;

let stdout: pino.DestinationStream | undefined;

/**
 * stdout written in batches: a line per request must not cost a write system call each.
 * One buffer per process, flushed every second and synchronously at exit.
 */
function bufferedStdout(): pino.DestinationStream {
  if (stdout) return stdout;
  const destination = pino.destination({ sync: false, minLength: 4096 });
  setInterval(() => destination.flush(), FLUSH_EVERY_MS).unref();
  process.once("exit", () => destination.flushSync());
  stdout = destination;
  return destination;
}

/** JSON lines on stdout. */
export function createLogger(level: Env["LOG_LEVEL"]): Logger {
  return pino(
    { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    bufferedStdout(),
  );
}
