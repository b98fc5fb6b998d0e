/**
 * `npm run migration:generate -- <Name>`: diffs the entities against a throwaway embedded
 * database that has every existing migration applied, and writes the difference as a new
 * migration in src/db/migrations. Review it, then add it to ./index.ts.
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres } from "./db/embedded-postgres";
import { openDatabase } from "./db/data-source";
import { entities } from "./entities";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error("usage: migration:generate <PascalCaseName>");
  const pg = await startEmbeddedPostgres({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "sg-migrate-")), port: await freePort(), persistent: false });
  try {
    const dataSource = await openDatabase({ url: pg.url, entities });
    const log = await dataSource.driver.createSchemaBuilder().log();
    await dataSource.destroy();
    if (log.upQueries.length === 0) {
      console.log("entities and migrations agree: nothing to generate");
      return;
    }
    const stamp = Date.now();
    const quote = (q: string) => "    await q.query(`" + q.replace(/`/g, "\\`") + "`);";
    const file = path.resolve("src/db/migrations", `${stamp}-${name}.ts`);
    fs.writeFileSync(
      file,
      [
        'import type { MigrationInterface, QueryRunner } from "typeorm";',
        "",
        `export class ${name}${stamp} implements MigrationInterface {`,
        `  name = "${name}${stamp}";`,
        "",
        "  async up(q: QueryRunner): Promise<void> {",
        ...log.upQueries.map((u) => quote(u.query)),
        "  }",
        "",
        "  async down(q: QueryRunner): Promise<void> {",
        ...log.downQueries.map((d) => quote(d.query)).reverse(),
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await pg.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
