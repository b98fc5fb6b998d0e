/** The committed SDL and generated types match the code; every root field's access is decided. */
import fs from "node:fs";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { getMetadataStorage } from "type-graphql";
import { createSchema, resolvers } from "../src/graphql";
import { relationGraph } from "../src/graphql";
import { printSchemaWithDirectives } from "../src/shared/print-schema";
import { SCHEMA_FILE } from "../src/graphql/schema.emit";

describe("schema", () => {
  it("schema/schema.graphql is what the resolvers emit (run `npm run schema` after changing them)", async () => {
    const emitted = printSchemaWithDirectives(await createSchema());
    expect(fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(emitted);
  });

  it("test/generated/graphql.ts, examples/generated/ and its persisted-documents manifest are what codegen makes of the SDL and operations", () => {
    // `--check` is codegen's dry run: it exits non-zero when an output would change.
    const run = () => execFileSync("node", ["node_modules/@graphql-codegen/cli/cjs/bin.js", "--config", "codegen.yml", "--check"], { stdio: "pipe", encoding: "utf8" });
    expect(run).not.toThrow();
  });

  it("keys each trusted document by the SHA-256 of its text, as clients send it in extensions.persistedQuery", () => {
    const manifest = JSON.parse(fs.readFileSync("examples/generated/persisted-documents.json", "utf8")) as Record<string, string>;
    expect(Object.keys(manifest).length).toBeGreaterThan(0);
    for (const [key, text] of Object.entries(manifest)) expect(key).toBe(createHash("sha256").update(text).digest("hex"));
  });

  it("decides access for every root field (deny by default)", async () => {
    await createSchema();
    const storage = getMetadataStorage();
    const classes = new Set(storage.authorizedResolver.map((a) => a.target));
    const fields = new Set(storage.authorizedFields.map((a) => `${a.target.name}.${a.fieldName}`));
    const undecided = [...storage.queries, ...storage.mutations]
      .filter((r) => resolvers.includes(r.target as never))
      .filter((r) => !classes.has(r.target) && !fields.has(`${r.target.name}.${r.methodName}`))
      .map((r) => `${r.target.name}.${r.methodName}`);
    expect(undecided).toEqual([]);
    expect(storage.queries.length).toBeGreaterThanOrEqual(8);
  });

  it("decides access at the root: field resolvers run no auth check unless they restrict a role", async () => {
    // Every object is reached through an authorized root field; a check on each nested field
    // would only repeat it, at a large share of a page's CPU.
    await createSchema();
    const storage = getMetadataStorage();
    const fieldResolverClasses = new Set(storage.fieldResolvers.map((f) => f.target));
    expect(storage.authorizedResolver.filter((a) => fieldResolverClasses.has(a.target)).map((a) => a.target.name)).toEqual([]);
    const fieldResolverNames = new Set(storage.fieldResolvers.map((f) => `${f.target.name}.${f.methodName}`));
    const unrestricted = storage.authorizedFields.filter((a) => fieldResolverNames.has(`${a.target.name}.${a.fieldName}`) && a.roles.length === 0);
    expect(unrestricted.map((a) => `${a.target.name}.${a.fieldName}`)).toEqual([]);
  });

  it("declares each relation once, in the relation graph, and resolves it directly", async () => {
    // A relation is a graph entry (src/graphql/relation-graph.ts), added to the schema with its
    // resolver; no TypeGraphQL field or field resolver may declare it again (addRelationFields
    // refuses one), so no access rule or middleware can be attached to it and silently dropped.
    const schema = await createSchema();
    const storage = getMetadataStorage();
    const relationFields = Object.entries(relationGraph).flatMap(([type, node]) => Object.keys(node.relations).map((field) => `${type}.${field}`));
    expect(relationFields.length).toBeGreaterThan(10);
    const nameOf = (f: { getObjectType?: () => unknown; schemaName: string }) => `${(f.getObjectType?.() as { name: string } | undefined)?.name}.${f.schemaName}`;
    const declared = [...storage.fieldResolvers.map(nameOf), ...storage.fields.map((f) => `${f.target.name}.${f.schemaName}`)];
    expect(relationFields.filter((field) => declared.includes(field))).toEqual([]);
    for (const field of relationFields) {
      const [type, name] = field.split(".");
      expect((schema.getType(type) as import("graphql").GraphQLObjectType).getFields()[name]?.resolve).toBeDefined();
    }
  });

  it("resolves plain fields by property access (no TypeGraphQL wrapper per field of every row)", async () => {
    const schema = await createSchema();
    const storage = getMetadataStorage();
    expect(storage.objectTypes.filter((o) => o.simpleResolvers !== true).map((o) => o.name)).toEqual([]);
    // Safe only because no plain field is renamed, guarded or wrapped: each reads its own property.
    expect(storage.fields.filter((f) => f.name !== f.schemaName || (f.middlewares?.length ?? 0) > 0 || f.roles).map((f) => `${f.target.name}.${f.name}`)).toEqual([]);
    const session = (schema.getType("Session") as import("graphql").GraphQLObjectType).getFields();
    expect(session.launchedAt.resolve).toBeUndefined();
    expect(session.user.resolve).toBeDefined();
  });

  it("exposes the names API.md promises", async () => {
    const schema = await createSchema();
    const query = schema.getQueryType()!.getFields();
    for (const name of ["viewer", "session", "sessions", "user", "users", "company", "companies", "activities"]) expect(query[name]).toBeDefined();
    for (const scalar of ["DateTime", "Date"]) expect(schema.getType(scalar)).toBeDefined();
    expect(Object.keys((schema.getType("SessionStatus") as never as { getValues(): { name: string }[] }).getValues().map((v) => v.name)).length).toBe(12);
  });
});
