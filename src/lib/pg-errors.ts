import { type AppError, badRequest, conflict, unavailable } from "./errors";

/** The PostgreSQL error behind a driver or Drizzle error, if any. */
export interface PgErrorInfo {
  code: string;
  constraint?: string;
  detail?: string;
}

export const PG_UNIQUE_VIOLATION = "23505";
export const PG_FOREIGN_KEY_VIOLATION = "23503";
export const PG_CHECK_VIOLATION = "23514";
export const PG_NUMERIC_VALUE_OUT_OF_RANGE = "22003";
/** NUL in text (`\u0000`), which PostgreSQL text cannot hold. */
export const PG_UNTRANSLATABLE_CHARACTER = "22P05";
export const PG_CHARACTER_NOT_IN_REPERTOIRE = "22021";
export const PG_SERIALIZATION_FAILURE = "40001";
export const PG_DEADLOCK_DETECTED = "40P01";
export const PG_LOCK_NOT_AVAILABLE = "55P03";

export function pgError(error: unknown): PgErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const candidate = current as {
      code?: unknown;
      constraint?: unknown;
      constraint_name?: unknown;
      detail?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return {
        code: candidate.code,
        constraint: typeof constraint === "string" ? constraint : undefined,
        detail: typeof candidate.detail === "string" ? candidate.detail : undefined,
      };
    }
    current = candidate.cause;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const info = pgError(error);
  return info?.code === PG_UNIQUE_VIOLATION && (!constraint || info.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  const info = pgError(error);
  return info?.code === PG_FOREIGN_KEY_VIOLATION && (!constraint || info.constraint === constraint);
}

/**
 * A foreign-key violation of a reference to `table`, e.g. a part deleted between a
 * service's check and its insert. Drizzle names the constraints
 * `<table>_<column>_<referenced table>_<referenced column>_fk`.
 */
export function isReferenceGone(error: unknown, table: string): boolean {
  const info = pgError(error);
  return (
    info?.code === PG_FOREIGN_KEY_VIOLATION &&
    (info.constraint?.endsWith(`_${table}_id_fk`) ?? false)
  );
}

/**
 * What a database refusal that no repository translated means for the client. Repositories
 * translate the violations they expect (naming the field or rows concerned); this is the
 * one place for the rest, so a race or an unforeseen input is a problem, not a 500.
 * Undefined for anything else: that is a bug.
 */
export function appErrorForPgError(error: unknown): AppError | undefined {
  const code = pgError(error)?.code;
  switch (code) {
    case undefined:
      return undefined;
    case PG_UNIQUE_VIOLATION:
      return conflict("db.duplicate", "The change would duplicate a value that must be unique.");
    case PG_FOREIGN_KEY_VIOLATION:
      return conflict(
        "db.reference_conflict",
        "The change refers to something that no longer exists, or removes something still referred to; reload and retry.",
      );
    case PG_CHECK_VIOLATION:
      return conflict(
        "db.rule_violation",
        "The change would break a rule of the stored data (for example a negative quantity).",
      );
    case PG_NUMERIC_VALUE_OUT_OF_RANGE:
      return conflict(
        "db.number_out_of_range",
        "A number in the request, or a total it would produce, is larger than can be stored (2147483647 at most).",
      );
    case PG_UNTRANSLATABLE_CHARACTER:
    case PG_CHARACTER_NOT_IN_REPERTOIRE:
      return badRequest(
        "request.unstorable_text",
        "Text in the request contains a NUL (\\u0000) character or invalid Unicode, which cannot be stored.",
      );
    case PG_SERIALIZATION_FAILURE:
    case PG_DEADLOCK_DETECTED:
    case PG_LOCK_NOT_AVAILABLE:
      return conflict(
        "db.concurrent_change",
        "The change collided with a concurrent one and was rolled back; retry the request.",
      );
  }
  // Connection exceptions (08), insufficient resources (53), administrator shutdown.
  if (code.startsWith("08") || code.startsWith("53") || code === "57P01") {
    return unavailable("db.unavailable", "The database is unavailable; retry shortly.");
  }
  return undefined;
}
