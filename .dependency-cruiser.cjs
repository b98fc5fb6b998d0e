// Import boundaries for src/ (see ../shared/STYLE.md "Layout and dependency direction" and issue 15).
// Run with `npm run lint`. Every rule is an error; type-only imports count (tsPreCompilationDeps).

/** The rooms, left to right: an arrow in STYLE.md means "may be imported by", so a module may import
 * its own room and rooms on levels to its left only. `features` is every folder under src/ that is
 * not a named room; `seed` shares a level with `graphql` (neither imports the other); `top level`
 * is any file directly in src/ (main.ts, app.ts, schema.emit.ts, entities.ts, …). */
const NAMED_ROOMS = ["config", "shared", "db", "access", "auth", "graphql", "seed", "http"];
const FEATURE = `(?!(?:${NAMED_ROOMS.join("|")})/)[^/]+`;
const LEVELS = [
  [{ name: "config", path: "^src/config/" }],
  [{ name: "shared", path: "^src/shared/" }],
  [{ name: "db", path: "^src/db/" }],
  [{ name: "access", path: "^src/access/" }],
  [{ name: "auth", path: "^src/auth/" }],
  [{ name: "features", path: `^src/${FEATURE}/` }],
  [
    { name: "graphql", path: "^src/graphql/" },
    { name: "seed", path: "^src/seed/" },
  ],
  [{ name: "http", path: "^src/http/" }],
  [{ name: "top level", path: "^src/[^/]+$" }],
];

/** Modules under src/db/ that code outside access, db and the top level may import: they run no
 * application SQL (an embedded cluster for dev/tests, a statement counter for tests and metrics,
 * pg type parsers, the maintained counters' SQL text for the generator's bulk load). Everything
 * else in src/db/ opens connections or runs SQL: reach it through src/access/. */
const DB_IMPORTABLE_OUTSIDE_ACCESS = ["src/db/embedded-postgres.ts", "src/db/statement-counter.ts", "src/db/pg-types.ts", "src/db/counters.ts"];

/** pg-boss runs its own SQL in its own schema; only the job owners may hold it. */
const PG_BOSS_ALLOWED = ["^src/exports/", "^src/db/", "^src/webhooks/"];

/** An npm package by name: resolved (…node_modules/[@types/]<name>/…) or, if unresolvable, the bare name. */
const npm = (...names) => `(?:^|(?:^|/)node_modules/(?:@types/)?)(?:${names.map(escape).join("|")})(?:/|$)`;
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const directionRules = LEVELS.flatMap((level, rank) =>
  level.map((room) => {
    const allowed = [...LEVELS.slice(0, rank).flat(), room];
    const forbidden = LEVELS.flat().filter((other) => !allowed.includes(other));
    return forbidden.length === 0
      ? null
      : {
          name: "direction",
          severity: "error",
          comment: `${room.name} may import only ${allowed.map((r) => r.name).join(", ")}; never ${forbidden.map((r) => r.name).join(", ")}.`,
          from: { path: room.path },
          to: { path: forbidden.map((r) => r.path) },
        };
  }),
).filter(Boolean);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import circles under src/ (type-only imports included) make every room depend on every other.",
      from: { path: "^src/" },
      to: { circular: true },
    },
    ...directionRules,
    {
      name: "feature-via-index",
      severity: "error",
      comment: "A feature sees a sibling feature only through the sibling's index.ts; inside one feature anything goes.",
      from: { path: `^src/(${FEATURE})/` },
      to: { path: `^src/${FEATURE}/`, pathNot: [`^src/$1/`, `^src/${FEATURE}/index\\.ts$`] },
    },
    {
      name: "sql-drivers-outside-access",
      severity: "error",
      comment: "Only src/access and src/db talk to PostgreSQL drivers (pg, pg-copy-streams, pg-query-stream); elsewhere use access (systemQuery for unscoped SQL).",
      from: { path: "^src/", pathNot: ["^src/access/", "^src/db/"] },
      to: { path: npm("pg", "pg-copy-streams", "pg-query-stream") },
    },
    {
      name: "typeorm-outside-access",
      severity: "error",
      comment: "TypeORM is used by src/access, src/db and *.entity.ts files (for the decorators) only; the rest gets data through access.",
      from: { path: "^src/", pathNot: ["^src/access/", "^src/db/", "\\.entity\\.ts$"] },
      to: { path: npm("typeorm") },
    },
    {
      name: "db-only-via-access",
      severity: "error",
      comment: "Outside src/access, src/db and the top level, src/db is off limits except the modules in DB_IMPORTABLE_OUTSIDE_ACCESS.",
      from: { path: "^src/", pathNot: ["^src/access/", "^src/db/", "^src/[^/]+$"] },
      to: { path: "^src/db/", pathNot: DB_IMPORTABLE_OUTSIDE_ACCESS.map((file) => `^${escape(file)}$`) },
    },
    {
      name: "access-via-index",
      severity: "error",
      comment: "Outside src/access, access is reached through its index.ts only: the row policy and the statement builders stay inside.",
      from: { path: "^src/", pathNot: ["^src/access/"] },
      to: { path: "^src/access/", pathNot: ["^src/access/index\\.ts$"] },
    },
    {
      name: "pg-boss-allow-list",
      severity: "error",
      comment: "pg-boss runs its own SQL; only the modules in PG_BOSS_ALLOWED (exports, db, webhooks) may import it.",
      from: { path: "^src/", pathNot: PG_BOSS_ALLOWED },
      to: { path: npm("pg-boss") },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
