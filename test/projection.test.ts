/**
 * Reads select only the columns a query asks for (src/shared/projection.ts). What must hold:
 * every computed field's needs are declared, and a field answers the same whether it is asked
 * alone, next to every other field, through a fragment or under an alias.
 */
import { getMetadataArgsStorage } from "typeorm";
import { getMetadataStorage } from "type-graphql";
import { createSchema, relationGraph } from "../src/graphql";
import { recordStatements } from "../src/db/statement-counter";
import { Session, sessionFields } from "../src/sessions";
import { User, userFields } from "../src/users";
import { Activity, activityFields } from "../src/activities";
import type { FieldColumns } from "../src/access";
import { insertRows } from "../src/db/insert";
import { useWorld } from "./support/world";

const t = useWorld({ sessionsPerUser: 3 });

/** Sessions that differ in every computed field's inputs, newest of all, owned by the member. */
beforeAll(async () => {
  const { users } = t.world;
  const member = users.member;
  const at = (minutesAgo: number) => new Date(Date.now() + 3_600_000 - minutesAgo * 60_000);
  const base = { organization_id: member.organizationId, user_id: member.id, company_id: member.companyId, app_id: "app.varied", app_name: "Varied" };
  const varied: Record<string, unknown>[] = [
    { ...base, status: "STARTED", launched_at: at(1), started_at: at(0.5), device_type: "PHONE", creator_id: users.admin.id, launcher_id: member.id },
    { ...base, status: "UPLOADING", launched_at: at(2), started_at: at(1.5), approver_id: users.developer.id },
    { ...base, status: "PENDING", launched_at: at(3), units_pending: 3 },
    { ...base, status: "CANCELED", launched_at: at(4), canceled_at: at(3.5), canceled_by_id: users.admin.id },
    { ...base, status: "COMPLETED", launched_at: at(5), started_at: at(4.9), completed_at: at(1), units_used: 2, api_token_label: "CI token" },
    { ...base, user_id: null, company_id: null, anonymous_label: "Guest 7", status: "COMPLETED", launched_at: at(6), started_at: at(5.5), completed_at: at(5) },
  ];
  // insertRows takes its columns from the first row: give every row every column.
  const columns = [...new Set(varied.flatMap((row) => Object.keys(row)))];
  const defaults: Record<string, unknown> = { units_pending: 0, units_used: 0 };
  await insertRows(t.gateway.dataSource.manager, "sessions", varied.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? defaults[c] ?? null]))));
});

const MAPPED: [string, new () => unknown, FieldColumns][] = [
  ["Session", Session, sessionFields],
  ["User", User, userFields],
  ["Activity", Activity, activityFields],
];

describe("field columns are declared", () => {
  it("lists every field resolver of a projected type, and names only real properties", async () => {
    await createSchema();
    const storage = getMetadataStorage();
    for (const [name, entity, map] of MAPPED) {
      // Computed fields: TypeGraphQL field resolvers, and the relations of the graph.
      const computed = [
        ...storage.fieldResolvers.filter((f) => (f.getObjectType?.() as { name?: string } | undefined)?.name === name).map((f) => f.schemaName),
        ...Object.keys(relationGraph[name].relations),
      ];
      expect(computed.length).toBeGreaterThan(0);
      // A computed field absent from the map would read only its namesake column, or nothing.
      expect(computed.filter((field) => !(field in map))).toEqual([]);
      const properties = new Set(getMetadataArgsStorage().columns.filter((c) => c.target === entity).map((c) => c.propertyName));
      const unknown = Object.values(map).flat().filter((p) => !properties.has(p));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
  });
});

/** Every field of `type` with no arguments, as a selection (objects by id, lists by id). */
async function allFields(type: string): Promise<string[]> {
  const schema = await createSchema();
  const fields = (schema.getType(type) as import("graphql").GraphQLObjectType).getFields();
  return Object.values(fields)
    .filter((f) => f.args.every((a) => !a.type.toString().endsWith("!") || a.defaultValue !== undefined))
    .map((f) => {
      const named = String(f.type).replace(/[[\]!]/g, "");
      const inner = schema.getType(named) as { getFields?: () => Record<string, unknown> };
      if (!inner.getFields) return f.name;
      if (named.endsWith("Connection")) return `${f.name}(first: 3) { totalCount nodes { id } }`;
      if ("id" in inner.getFields()) return `${f.name} { id }`;
      return `${f.name} { __typename ${Object.keys(inner.getFields()).filter((k) => k !== "id").slice(0, 2).join(" ")} }`;
    })
    .filter((selection) => !selection.startsWith("profile"));
}

const LISTS: [string, string][] = [
  ["Session", "sessions(first: 20)"],
  ["User", "users(first: 20)"],
  ["Activity", "activities(first: 20)"],
];

describe("each field answers the same alone as with every other field", () => {
  for (const [type, list] of LISTS) {
    it(`${type}: ${list}, as an admin and as a member`, async () => {
      const fields = await allFields(type);
      for (const client of [t.world.clients.asAdmin, t.world.clients.asMember]) {
        const full = await client.raw<Record<string, { nodes: Record<string, unknown>[] }>>({ query: `{ list: ${list} { nodes { id ${fields.join(" ")} } } }` });
        expect(full.body.errors).toBeUndefined();
        const rows = full.body.data!.list.nodes;
        expect(rows.length).toBeGreaterThan(0);
        for (const field of fields) {
          const name = field.split(/[ ({]/)[0];
          const alone = await client.raw<Record<string, { nodes: Record<string, unknown>[] }>>({ query: `{ list: ${list} { nodes { id ${field} } } }` });
          expect(alone.body.errors).toBeUndefined();
          expect({ field: name, values: alone.body.data!.list.nodes.map((n) => n[name]) }).toEqual({ field: name, values: rows.map((n) => n[name]) });
        }
      }
    });
  }

  it("computed fields asked alone equal a plain SQL calculation", async () => {
    const secondsBetween = (a: Date | null, b: Date | null) => (a && b ? Math.max(0, Math.round((b.getTime() - a.getTime()) / 1000)) : null);
    const running = new Set(["STARTED", "UPLOADING", "UPLOADED"]);
    const rows: Record<string, any>[] = await t.gateway.dataSource.query(
      `SELECT s.*, u.email AS runner_email FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.organization_id = $1`,
      [t.world.users.admin.organizationId],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const expected: Record<string, (r: Record<string, any>) => unknown> = {
      runner: (r) => r.api_token_label ? { kind: "API_TOKEN", label: r.api_token_label } : !r.user_id ? { kind: "ANONYMOUS", label: r.anonymous_label ?? "Anonymous" } : { kind: "USER", label: r.runner_email },
      queueSeconds: (r) => secondsBetween(r.launched_at, r.started_at),
      durationSeconds: (r) => secondsBetween(r.started_at, r.completed_at),
      actualDurationMinutes: (r) => { const s = secondsBetween(r.started_at, r.completed_at); return s === null ? null : Math.round(s / 60); },
      inProgress: (r) => r.started_at !== null && r.completed_at === null && running.has(r.status),
      user: (r) => r.user_id && { id: r.user_id },
      company: (r) => r.company_id && { id: r.company_id },
      creator: (r) => r.creator_id && { id: r.creator_id },
      launcher: (r) => r.launcher_id && { id: r.launcher_id },
      approver: (r) => r.approver_id && { id: r.approver_id },
      canceledBy: (r) => r.canceled_by_id && { id: r.canceled_by_id },
    };
    for (const [field, value] of Object.entries(expected)) {
      const selection = field === "runner" ? "runner { kind label }" : ["queueSeconds", "durationSeconds", "actualDurationMinutes", "inProgress"].includes(field) ? field : `${field} { id }`;
      const { body } = await t.world.clients.asAdmin.raw<{ sessions: { nodes: Record<string, unknown>[] } }>({ query: `{ sessions(first: 20) { nodes { id ${selection} } } }` });
      expect(body.errors).toBeUndefined();
      const nodes = body.data!.sessions.nodes;
      expect({ field, values: nodes.map((n) => n[field]) }).toEqual({ field, values: nodes.map((n) => value(byId.get(n.id as string)!) ?? null) });
    }
  });

  it("through nested connections, fragments, inline fragments and aliases", async () => {
    const query = (selection: string) => `
      query ($id: ID!) { company(id: $id) { users(first: 20) { nodes { id sessions(first: 5) { nodes { ${selection} } } } } } }`;
    const variables = { id: t.world.companies.alpha };
    const who = " fragment Who on User { name email }";
    const direct = await t.world.clients.asAdmin.raw({ query: query("id launchedAt inProgress durationSeconds user { name email }"), variables });
    const spread = await t.world.clients.asAdmin.raw({ query: query("id ... on Session { launchedAt } inProgress durationSeconds user { ...Who }") + who, variables });
    const aliased = await t.world.clients.asAdmin.raw<any>({ query: query("id when: launchedAt ...Run user { who: name ...Who }") + " fragment Run on Session { inProgress durationSeconds }" + who, variables });
    expect(direct.body.errors).toBeUndefined();
    expect(spread.body).toEqual(direct.body);
    const renamed = JSON.parse(JSON.stringify(aliased.body.data).replace(/"when"/g, '"launchedAt"'));
    for (const user of renamed.company.users.nodes) for (const session of user.sessions.nodes) delete session.user.who;
    const expected = JSON.parse(JSON.stringify((direct.body as { data: unknown }).data));
    expect(renamed).toEqual(expected);
  });
});

describe("only the asked columns are read", () => {
  it("a narrow sessions page selects a few columns; asking more fields selects more", async () => {
    const sqlOf = async (query: string) => {
      const recorder = recordStatements();
      try {
        const { body } = await t.world.clients.asAdmin.raw({ query });
        expect(body.errors).toBeUndefined();
      } finally {
        recorder.stop();
      }
      return recorder.statements.filter((s) => /FROM sessions/.test(s)).join("\n");
    };
    const narrow = await sqlOf("{ sessions(first: 5) { nodes { id status } } }");
    expect(narrow).toMatch(/"status"/);
    expect(narrow).not.toMatch(/app_name|device_model|removed_reason/);
    const wider = await sqlOf("{ sessions(first: 5) { nodes { id status appName durationSeconds } } }");
    expect(wider).toMatch(/app_name/);
    expect(wider).toMatch(/started_at/);
    expect(wider).toMatch(/completed_at/);
  });
});
