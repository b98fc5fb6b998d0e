/**
 * Database failures a client can act on, recognised by PostgreSQL SQLSTATE or socket error code.
 * The message is ours; the driver's text (SQL, server messages) only reaches the log.
 */
import { ErrorCode } from "./errors";

export interface DatabaseFault {
  code: typeof ErrorCode.SERVICE_UNAVAILABLE | typeof ErrorCode.INTERNAL_SERVER_ERROR;
  message: string;
}

const UNREACHABLE_SOCKET = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"]);

/** Null for anything that is not a recognised database fault. Never throws. */
export function databaseFault(error: unknown): DatabaseFault | null {
  const e = error as { code?: unknown; message?: unknown; driverError?: { code?: unknown } } | null;
  const code = String(e?.driverError?.code ?? e?.code ?? "");
  const message = typeof e?.message === "string" ? e.message : "";
  // 57014 query_canceled: statement_timeout fired.
  if (code === "57014") return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: "The query took too long and was cancelled" };
  // 08xxx connection exceptions, 57P01-57P03 shutdown / cannot connect now, sockets, pool timeouts.
  if (
    /^08/.test(code) ||
    /^57P0[123]$/.test(code) ||
    UNREACHABLE_SOCKET.has(code) ||
    // Errors from another realm (jest) or wrapped by GraphQL keep only their text.
    /\b(ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH)\b|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection due to (administrator command|unexpected postmaster exit)|the database system is (starting up|shutting down)/i.test(message)
  ) {
    return { code: ErrorCode.SERVICE_UNAVAILABLE, message: "The database is unavailable; retry shortly" };
  }
  return null;
}

/** SQLSTATEs of a transaction that lost a race and may simply run again: deadlock, serialization, unique key. */
const LOST_RACE = new Set(["40P01", "40001", "23505"]);

/**
 * Runs `work` again (up to `attempts` times, after a short random pause) when it lost a race
 * with another process, e.g. two instances starting at once and creating the same job queue
 * (pg-boss's queue creation runs DDL that can deadlock with itself).
 */
export async function retryLostRace<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = String((error as { code?: unknown } | null)?.code ?? "");
      if (attempt >= attempts || !LOST_RACE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}
