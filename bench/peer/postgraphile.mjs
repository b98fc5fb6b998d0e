/**
 * PostGraphile v5 over the bench database, the peer `npm run bench:graphql` compares
 * sessiongraph with. Its own package (bench/peer/package.json, own lockfile): PostGraphile v5
 * and its Grafast stack require Node 22+, so they stay out of the gateway's install (which must
 * install warning-free on Node 20). bench/graphql.ts installs this package on demand and runs
 * this file on Node 24 from the npm registry (`npx -p node@24`), with DATABASE_URL and PORT set;
 * it listens on 127.0.0.1.
 *
 * The amber preset with simplified inflection, reading the public schema as the database owner
 * (admin-level reads: the bench's queries filter by organization, company and user ids
 * themselves). Only the tables the shapes read are exposed; every column is orderable and filterable (the bench
 * orders users by name, which PostGraphile would otherwise allow only for a leading index column).
 *
 * Each SQL statement sent to PostgreSQL is counted by bench/count-statements.ts (compiled to
 * dist-bench), loaded from the repository root together with the root's `pg`, so the pool below
 * is the one being counted; the parent reads the count over IPC to report statements per request.
 */
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { postgraphile } from "postgraphile";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { jsonPgSmartTags } from "postgraphile/utils";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const rootRequire = createRequire(path.join(root, "package.json"));
rootRequire(path.join(root, "dist-bench/bench/count-statements.js"));
const pg = rootRequire("pg");

/**
 * Tables that stay out of the schema: sessions, users, companies, activities and attachments
 * remain (Q4's Session History row shows attachments), and the bench's Q4b function.
 */
const HIDDEN_TABLES = [
  "organizations", "api_tokens", "content_progress", "exports", "migrations",
  "session_user_day_counts", "session_day_counts", "session_device_day_counts", "session_os_day_counts",
  "activity_user_day_counts", "activity_day_counts",
];

async function main() {
  const connectionString = process.env.DATABASE_URL;
  const port = Number(process.env.PORT);
  if (!connectionString || !port) throw new Error("DATABASE_URL and PORT are required");

  // The same pool size as the gateway's (src/db/data-source.ts).
  const pool = new pg.Pool({ connectionString, max: 10 });
  const preset = {
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
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
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
