/**
 * Counts every SQL statement a bench server process sends to PostgreSQL (each `pg.Client#query`,
 * so also statements the server runs outside its own request tally), and tells the count to the
 * parent over IPC: it answers the message "statements" with `{ statements: n }`. Loaded with
 * `node -r` into the gateway, imported by bench/postgraphile.ts; the same counter for both.
 */
import pg from "pg";

let statements = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  statements++;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

if (process.send) {
  process.on("message", (message) => {
    if (message === "statements") process.send?.({ statements });
  });
  // The channel must not keep a server alive once it has closed everything else.
  process.channel?.unref();
}
