/**
 * PostGraphile v5 over the bench database, the peer `npm run bench:graphql` compares
 * sessiongraph with. Run as its own process by startPostGraphileProcess (bench/graphql.ts):
 * `node dist-bench/bench/postgraphile.js` with DATABASE_URL and PORT set; listens on 127.0.0.1.
 *
 * The amber preset with simplified inflection, reading the public schema as the database owner
 * (admin-level reads: the bench's queries filter by company and user ids themselves). Only the
 * four tables the shapes read are exposed; every column is orderable and filterable (the bench
 * orders users by name, which PostGraphile would otherwise allow only for a leading index column).
 *
 * Each SQL statement sent to PostgreSQL is counted by bench/count-statements.ts; the parent reads
 * the count over IPC to report statements per request.
 */
import http from "node:http";
import pg from "pg";
import "./count-statements";

// PostGraphile v5 targets Node 22; on Node 20 it only lacks Promise.withResolvers. Set it before
// anything of PostGraphile's is loaded.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
      return { promise, resolve, reject };
    },
  });
}

/** Tables that stay out of the schema: only sessions, users, companies and activities remain. */
const HIDDEN_TABLES = ["organizations", "api_tokens", "attachments", "content_progress", "exports", "migrations"];

async function main(): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  const port = Number(process.env.PORT);
  if (!connectionString || !port) throw new Error("DATABASE_URL and PORT are required");
  const { postgraphile } = await import("postgraphile");
  const { PostGraphileAmberPreset } = await import("postgraphile/presets/amber");
  const { makePgService } = await import("postgraphile/adaptors/pg");
  const { grafserv } = await import("postgraphile/grafserv/node");
  const { jsonPgSmartTags } = await import("postgraphile/utils");
  const { PgSimplifyInflectionPreset } = await import("@graphile/simplify-inflection");

  // The same pool size as the gateway's (src/db/data-source.ts).
  const pool = new pg.Pool({ connectionString, max: 10 });
  const preset: GraphileConfig.Preset = {
    extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
    plugins: [
      jsonPgSmartTags({ version: 1, config: { class: Object.fromEntries(HIDDEN_TABLES.map((t) => [t, { tags: { behavior: "-*" } }])) } }),
    ],
    disablePlugins: ["PgIndexBehaviorsPlugin"],
    pgServices: [makePgService({ pool, schemas: ["public"], pubsub: false })],
    grafast: { explain: false },
    grafserv: { port, host: "127.0.0.1", graphqlPath: "/graphql", graphiql: false, watch: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = http.createServer();
  await serv.addTo(server);
  await pgl.getSchema(); // build (introspection included) before the first request
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  process.send?.({ ready: true });
  const stop = () => {
    server.close();
    void Promise.resolve(pgl.release()).finally(() => pool.end()).finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
