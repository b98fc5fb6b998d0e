/**
 * The import-boundary lint (.dependency-cruiser.cjs, `npm run lint`): the real src/ passes, and
 * every rule fails on a deliberate violation. Each fixture is a small clean tree with the rooms of
 * src/ plus one bad import, cruised with the repo's config in a temp dir; the clean tree alone passes.
 *
 * dependency-cruiser is ESM-only and jest runs CommonJS here, so the cruises run in one child
 * process (test/support/depcruise.mjs, through dependency-cruiser's API), all fixtures at once.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const repoRoot = path.resolve(__dirname, "..");
const config = path.join(repoRoot, ".dependency-cruiser.cjs");
const runner = path.join(__dirname, "support", "depcruise.mjs");

interface Cruise {
  dir: string;
  /** what `npm run lint` exits with: the number of errors */
  errors: number;
  violations: Array<{ rule: string; severity: string; from: string; to: string }>;
}

/** Lints `<dir>/src` for each dir, as `npm run lint` would from that dir. */
function cruise(dirs: string[]): Promise<Cruise[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [runner, config, ...dirs], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${runner} failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Cruise[]);
    });
  });
}

/** Violations as "rule: from → to", sorted, npm packages from node_modules/ on. */
function lines(result: Cruise): string[] {
  const all = result.violations.map((v) => `${v.rule}: ${v.from} → ${v.to.replace(/^.*node_modules\//, "node_modules/")}`);
  return [...new Set(all)].sort();
}

/** A tree with every room of src/ and only allowed imports (the names mirror the real src/). */
const CLEAN: Record<string, string> = {
  "src/config/config.ts": `export const config = { port: 4000 };\n`,
  "src/shared/logger.ts": `import { config } from "../config/config";\nexport const logger = { port: config.port };\n`,
  "src/db/pg-types.ts": `import { types } from "pg";\nexport const parsers = types;\n`,
  "src/db/statement-counter.ts": `export const countStatements = () => 0;\n`,
  "src/db/embedded-postgres.ts": `export const startEmbeddedPostgres = () => undefined;\n`,
  "src/db/data-source.ts": `import { DataSource } from "typeorm";\nimport { logger } from "../shared/logger";\nexport const dataSource = (): DataSource | undefined => (logger ? undefined : undefined);\n`,
  "src/db/prepared.ts": `import type { PoolClient } from "pg";\nimport { dataSource } from "./data-source";\nexport const queryPrepared = (client?: PoolClient) => [client, dataSource];\n`,
  "src/db/jobs.ts": `import PgBoss from "pg-boss";\nexport const boss = PgBoss;\n`,
  "src/access/viewer.ts": `export interface Viewer { id: string }\n`,
  "src/access/system-query.ts": [
    `import type { Pool } from "pg";`,
    `import type { EntityManager } from "typeorm";`,
    `import { queryPrepared } from "../db/prepared";`,
    `import type { Viewer } from "./viewer";`,
    `export const systemQuery = (reason: string, viewer?: Viewer, pool?: Pool, manager?: EntityManager) => [reason, viewer, pool, manager, queryPrepared];`,
    ``,
  ].join("\n"),
  "src/access/index.ts": `export type { Viewer } from "./viewer";\nexport { systemQuery } from "./system-query";\n`,
  "src/auth/authenticate.ts": `import { systemQuery, type Viewer } from "../access";\nimport { countStatements } from "../db/statement-counter";\nexport const authenticate = (): Viewer | undefined => (systemQuery("token lookup") && countStatements() ? undefined : undefined);\n`,
  "src/users/user.entity.ts": `import { Entity } from "typeorm";\nexport const UserEntity = Entity;\n`,
  "src/users/user.repository.ts": `import { systemQuery } from "../access";\nimport { UserEntity } from "./user.entity";\nexport const userRepository = [systemQuery, UserEntity];\n`,
  "src/users/index.ts": `export { userRepository } from "./user.repository";\nexport type { Viewer } from "../access";\n`,
  "src/sessions/session.service.ts": `import { userRepository } from "../users";\nimport type { Viewer } from "../users/index";\nimport { authenticate } from "../auth/authenticate";\nexport const sessionService = (viewer?: Viewer) => [viewer, userRepository, authenticate];\n`,
  "src/sessions/index.ts": `export { sessionService } from "./session.service";\n`,
  "src/exports/export.jobs.ts": `import PgBoss from "pg-boss";\nimport { sessionService } from "../sessions";\nexport const exportJobs = [PgBoss, sessionService];\n`,
  "src/exports/storage/local.ts": `import { exportJobs } from "../export.jobs";\nexport const storage = exportJobs;\n`,
  "src/exports/index.ts": `export { exportJobs } from "./export.jobs";\nexport { storage } from "./storage/local";\n`,
  // not a named room, so a feature: sees siblings through index.ts like any other
  "src/webhooks/webhook.jobs.ts": `import PgBoss from "pg-boss";\nimport { userRepository } from "../users";\nexport const webhookJobs = [PgBoss, userRepository];\n`,
  "src/webhooks/index.ts": `export { webhookJobs } from "./webhook.jobs";\n`,
  "src/graphql/schema.ts": `import { sessionService } from "../sessions";\nimport { exportJobs } from "../exports";\nimport { userRepository } from "../users/user.repository";\nexport const schema = [sessionService, exportJobs, userRepository];\n`,
  "src/seed/generate.ts": `import { userRepository } from "../users";\nimport { systemQuery } from "../access";\nexport const seed = [userRepository, systemQuery];\n`,
  "src/http/server.ts": `import { schema } from "../graphql/schema";\nimport { seed } from "../seed/generate";\nimport { countStatements } from "../db/statement-counter";\nexport const server = [schema, seed, countStatements];\n`,
  "src/entities.ts": `import { UserEntity } from "./users/user.entity";\nexport const entities = [UserEntity];\n`,
  "src/main.ts": `import { server } from "./http/server";\nimport { dataSource } from "./db/data-source";\nimport { entities } from "./entities";\nimport { startEmbeddedPostgres } from "./db/embedded-postgres";\nexport const main = [server, dataSource, entities, startEmbeddedPostgres];\n`,
};

/** One deliberate violation each: files added to (or replacing files of) the clean tree, and the report expected. */
const VIOLATIONS: Array<{ title: string; files: Record<string, string>; expected: string[] }> = [
  {
    title: "no-circular: a circle of type-only imports",
    files: {
      "src/shared/a.ts": `import type { B } from "./b";\nexport interface A { b?: B }\n`,
      "src/shared/b.ts": `import type { A } from "./a";\nexport interface B { a?: A }\n`,
    },
    // a circle is reported once, at the edge where the cruise first closes it
    expected: ["no-circular: src/shared/a.ts → src/shared/b.ts"],
  },
  {
    title: "direction: auth imports a type from graphql",
    files: { "src/auth/context-user.ts": `import type { schema } from "../graphql/schema";\nexport type Schema = typeof schema;\n` },
    expected: ["direction: src/auth/context-user.ts → src/graphql/schema.ts"],
  },
  {
    title: "direction: db imports a feature's entity",
    files: { "src/db/entities.ts": `import { UserEntity } from "../users/user.entity";\nexport const entities = [UserEntity];\n` },
    expected: ["direction: src/db/entities.ts → src/users/user.entity.ts"],
  },
  {
    title: "direction: a feature imports the top level",
    files: { "src/users/main-user.ts": `import { main } from "../main";\nexport const mainUser = main;\n` },
    expected: ["direction: src/users/main-user.ts → src/main.ts"],
  },
  {
    title: "direction: graphql imports its sibling seed",
    files: { "src/graphql/seeded.ts": `import { seed } from "../seed/generate";\nexport const seeded = seed;\n` },
    expected: ["direction: src/graphql/seeded.ts → src/seed/generate.ts"],
  },
  {
    title: "feature-via-index: a feature imports a sibling's repository directly",
    files: { "src/sessions/session.owner.ts": `import { userRepository } from "../users/user.repository";\nexport const owner = userRepository;\n` },
    expected: ["feature-via-index: src/sessions/session.owner.ts → src/users/user.repository.ts"],
  },
  {
    title: "feature-via-index: an unnamed folder is a feature too",
    files: { "src/webhooks/payload.ts": `import type { Viewer } from "../users/index";\nimport { storage } from "../exports/storage/local";\nexport const payload = (viewer?: Viewer) => [viewer, storage];\n` },
    expected: ["feature-via-index: src/webhooks/payload.ts → src/exports/storage/local.ts"],
  },
  {
    title: "sql-drivers-outside-access: a feature imports pg-copy-streams",
    files: { "src/exports/copy-stream.ts": `import { to } from "pg-copy-streams";\nexport const copyTo = to;\n` },
    expected: ["sql-drivers-outside-access: src/exports/copy-stream.ts → node_modules/pg-copy-streams/index.js"],
  },
  {
    title: "typeorm-outside-access: a repository imports TypeORM",
    files: { "src/users/user.repository.ts": `import { In } from "typeorm";\nimport { UserEntity } from "./user.entity";\nexport const userRepository = [In, UserEntity];\n` },
    expected: ["typeorm-outside-access: src/users/user.repository.ts → node_modules/typeorm/index.d.ts"],
  },
  {
    title: "db-only-via-access: http reaches the data source",
    files: { "src/http/health.ts": `import { dataSource } from "../db/data-source";\nexport const health = dataSource;\n` },
    expected: ["db-only-via-access: src/http/health.ts → src/db/data-source.ts"],
  },
  {
    title: "access-via-index: a feature reaches into access past its index",
    files: { "src/sessions/session.scope.ts": `import { systemQuery } from "../access/system-query";\nexport const sessionScope = systemQuery;\n` },
    expected: ["access-via-index: src/sessions/session.scope.ts → src/access/system-query.ts"],
  },
  {
    title: "pg-boss-allow-list: a feature outside the allow list imports pg-boss",
    files: { "src/sessions/session.jobs.ts": `import PgBoss from "pg-boss";\nexport const sessionJobs = PgBoss;\n` },
    expected: ["pg-boss-allow-list: src/sessions/session.jobs.ts → node_modules/pg-boss/src/index.js"],
  },
];

let tmp: string;
const results = new Map<string, Cruise>();

function writeTree(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  // Resolve exactly as the repo does: its compiler options, its node_modules.
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ extends: path.join(repoRoot, "tsconfig.json"), include: ["src"] }));
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function resultFor(dir: string): Cruise {
  const result = results.get(dir);
  if (!result) throw new Error(`no cruise result for ${dir}`);
  return result;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-lint-"));
  const dirs = [repoRoot, writeTree("clean", CLEAN), ...VIOLATIONS.map((v, i) => writeTree(`violation-${i}`, { ...CLEAN, ...v.files }))];
  for (const result of await cruise(dirs)) results.set(result.dir, result);
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("import-boundary lint", () => {
  it("runs as `npm run lint`, errors only", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.lint).toBe("depcruise src --config .dependency-cruiser.cjs --output-type err");
  });

  it("passes on src/", () => {
    const result = resultFor(repoRoot);
    expect(lines(result)).toEqual([]);
    expect(result.errors).toBe(0);
  });

  it("passes on a clean tree with every room and every allowed kind of import", () => {
    const result = resultFor(path.join(tmp, "clean"));
    expect(lines(result)).toEqual([]);
    expect(result.errors).toBe(0);
  });

  it.each(VIOLATIONS.map((v, i) => [v.title, v, i] as const))("fails on %s", (_title, violation, i) => {
    const result = resultFor(path.join(tmp, `violation-${i}`));
    expect(lines(result)).toEqual(violation.expected);
    expect(result.violations.every((v) => v.severity === "error")).toBe(true);
    // one error per offending import; the lint exits with this count
    expect(result.errors).toBe(result.violations.length);
    expect(result.errors).toBeGreaterThan(0);
  });
});
