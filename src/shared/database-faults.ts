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
