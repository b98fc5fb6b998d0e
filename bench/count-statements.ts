/**
 * Counts every SQL statement a bench server process sends to PostgreSQL (each `pg.Client#query`,
 * so also statements the server runs outside its own request tally), and tells the count to the
 * parent over IPC: it answers the message "statements" with `{ statements: n }`. Loaded with
 * `node -r` into the gateway, loaded by bench/peer/postgraphile.mjs; the same counter for both.
 * A gateway running as a cluster (WORKERS > 1) loads it in every process (workers inherit the
 * flag); the primary answers with the sum over its workers.
 */
import cluster from "node:cluster";
import pg from "pg";

let statements = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  statements++;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

/** The workers' counts, summed with this process's own. */
function clusterCount(): Promise<number> {
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
  return Promise.all(
    workers.map((worker) => new Promise<number>((resolve) => {
      const onMessage = (message: { statements?: number }) => {
        if (typeof message?.statements !== "number") return;
        worker!.off("message", onMessage);
        resolve(message.statements);
      };
      worker!.on("message", onMessage);
      worker!.send("statements");
    })),
  ).then((counts) => counts.reduce((a, b) => a + b, statements));
}

if (process.send) {
  process.on("message", (message) => {
    if (message !== "statements") return;
    if (cluster.isPrimary) void clusterCount().then((n) => process.send?.({ statements: n }));
    else process.send?.({ statements });
  });
  // The channel must not keep a server alive once it has closed everything else.
  if (cluster.isPrimary) process.channel?.unref();
}
