/**
 * PostgreSQL LISTEN on a dedicated connection of its own (a pooled connection cannot hold a
 * LISTEN: it goes back to the pool and serves other statements). One per process; each channel
 * has one handler.
 *
 * The connection can drop (the server restarts, a proxy in between times out). Notifications sent
 * meanwhile are lost, so after every (re)connection `onConnect` runs: a holder of state that
 * notifications keep fresh starts again from the database there. Reconnection backs off from
 * 100 ms to 5 s and goes on until `close()`. The connection's application_name carries the pid
 * (`sessiongraph-listen-<pid>`), so an operator can tell whose it is in pg_stat_activity.
 */
import pg from "pg";
import type { Logger } from "../shared/logger";
import { managerOf, type Database } from "./database";

export interface NotificationListenerOptions {
  /** Channel name → handler of each payload. Handlers must not throw (a throw is logged). */
  channels: Record<string, (payload: string) => void>;
  /** After the first connection and every reconnection, once LISTEN is in place. */
  onConnect?: () => void;
  logger: Logger;
}

export interface NotificationListener {
  /** Stops listening and closes the connection; never throws. */
  close(): Promise<void>;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;

function connectionString(database: Database): string {
  const url = (managerOf(database).connection.options as { url?: string }).url;
  if (!url) throw new Error("listenForNotifications: the data source has no connection URL");
  return url;
}

/** Connects, LISTENs on every channel, then resolves; the first connection's failure rejects. */
export async function listenForNotifications(database: Database, options: NotificationListenerOptions): Promise<NotificationListener> {
  const url = connectionString(database);
  let client: pg.Client | null = null;
  let closed = false;
  let backoff = MIN_BACKOFF_MS;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: `sessiongraph-listen-${process.pid}`, keepAlive: true });
    // Without an error listener a dropped connection would crash the process.
    next.on("error", (error) => lost(next, error));
    next.on("end", () => lost(next, null));
    next.on("notification", ({ channel, payload }) => {
      try {
        options.channels[channel]?.(payload ?? "");
      } catch (error) {
        options.logger.error("notification handler failed", { channel, error: String(error) });
      }
    });
    try {
      await next.connect();
      for (const channel of Object.keys(options.channels)) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      next.removeAllListeners("end");
      await next.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    backoff = MIN_BACKOFF_MS;
    options.onConnect?.();
  };

  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().catch((error: Error) => {
        options.logger.warn("notification listener: reconnect failed; retrying", { error: error.message, inMs: backoff });
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        schedule();
      });
    }, backoff);
    retry.unref();
  };

  function lost(which: pg.Client, error: Error | null): void {
    if (which !== client || closed) return;
    client = null;
    which.removeAllListeners("end");
    which.end().catch(() => undefined);
    options.logger.warn("notification listener: connection lost; reconnecting", { error: error?.message });
    schedule();
  }

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners("end");
        await current.end().catch(() => undefined);
      }
    },
  };
}
