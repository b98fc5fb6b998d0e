/** Writes the SDL to schema/schema.graphql (run from the repository root by `npm run schema`). */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { printSchemaWithDirectives } from "../shared/print-schema";
import { createSchema } from "./schema";

export const SCHEMA_FILE = path.resolve(process.cwd(), "schema/schema.graphql");

if (require.main === module) {
  createSchema()
    .then((schema) => {
      fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
      fs.writeFileSync(SCHEMA_FILE, printSchemaWithDirectives(schema));
      console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
    })
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
