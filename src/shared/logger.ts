/**
 * Structured logging through pino (JSON lines); details of masked errors go here, never to clients.
 * The small Logger interface keeps call sites independent of pino's argument order.
 */
import pino from "pino";

export type LogLevel = "error" | "warn" | "info" | "debug";

export interface Logger {
  error(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  info(message: string, detail?: Record<string, unknown>): void;
  debug(message: string, detail?: Record<string, unknown>): void;
}

/** Credentials that must never reach a log line, wherever a caller put them in `detail`. */
const REDACT = ["authorization", "*.authorization", "headers.authorization", "token", "*.token", "secret", "*.secret"];

/**
 * A pino logger at `level`. `write` receives each JSON line without its newline (tests keep
 * them in memory); by default lines go to stderr.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const destination = write ? { write: (chunk: string) => write(chunk.replace(/\n$/, "")) } : pino.destination({ fd: 2, sync: true });
  const log = pino(
    {
      level,
      base: undefined,
      messageKey: "message",
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: "[redacted]" },
    },
    destination,
  );
  return {
    error: (message, detail = {}) => log.error(detail, message),
    warn: (message, detail = {}) => log.warn(detail, message),
    info: (message, detail = {}) => log.info(detail, message),
    debug: (message, detail = {}) => log.debug(detail, message),
  };
}
