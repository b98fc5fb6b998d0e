/** A small structured (JSON lines) logger; details of masked errors go here, never to clients. */
export type LogLevel = "error" | "warn" | "info" | "debug";
const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  error(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  info(message: string, detail?: Record<string, unknown>): void;
  debug(message: string, detail?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l + "\n")): Logger {
  const log = (at: LogLevel) => (message: string, detail: Record<string, unknown> = {}) => {
    if (rank[at] > rank[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...detail }));
  };
  return { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug") };
}
