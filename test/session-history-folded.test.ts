/**
 * The root `sessions(...)` list folds its rows' user, runner, attachments and totalCount into its
 * page statement (ScopedTable.page with FoldedReads.list). Checked here, for every role:
 * - the Session History page (bench Q4) is one statement, with or without filters, and what each
 *   role sees is what it may see: its rows, runner labels, users, attachments (none for members)
 *   and total, built from the fixture, not from the gateway;
 * - every answer is the answer the same query gets with folding switched off;
 * - a page past the end still counts its total.
 */
import { FoldedReads } from "../src/graphql/folded-reads";
import type { FoldedRead } from "../src/access";
import { insertRows } from "../src/db/insert";
import { recordStatements } from "../src/db/statement-counter";
import type { GraphQLClient } from "./support/client";
import { useWorld, type UserKey } from "./support/world";

const t = useWorld({ sessionsPerUser: 3 });

const HISTORY = `query H($filter: SessionFilter, $after: String) { sessions(first: 50, filter: $filter, after: $after) {
  totalCount totalCountIsExact pageInfo { hasNextPage endCursor }
  nodes { id launchedAt status appId queueSeconds durationSeconds inProgress runner { kind label } user { id name } attachments { id kind fileName available } }
} }`;

interface Row { id: string; runner: { kind: string; label: string }; user: { id: string } | null; attachments: { id: string }[] }
interface History { sessions: { totalCount: number; totalCountIsExact: boolean; pageInfo: { endCursor: string | null }; nodes: Row[] } }

let anonymousRun = "";

beforeAll(async () => {
  // An anonymous run of the organization, older than every other: the admin's last row.
  [anonymousRun] = await insertRows(t.gateway.dataSource.manager, "sessions", [{
    organization_id: t.world.organizationId, user_id: null, anonymous_label: "Public link run", status: "COMPLETED",
    app_id: "app.anonymous", app_name: "Anonymous", launched_at: new Date("2020-01-01T00:00:00Z"),
  }]);
});

/** Folding off: the planner plans nothing, so runner, user and attachments go through their loaders. */
async function unfolded<T>(fn: () => Promise<T>): Promise<T> {
  const planner = jest.spyOn(FoldedReads.prototype as unknown as { plan(): FoldedRead[] }, "plan").mockReturnValue([]);
  try {
    return await fn();
  } finally {
    planner.mockRestore();
  }
}

/** The answer and the statements the request ran besides the API token's lookup and bookkeeping. */
async function history(client: GraphQLClient, variables: Record<string, unknown> = {}) {
  const recorder = recordStatements();
  try {
    const { body } = await client.raw<History>({ query: HISTORY, variables });
    expect(body.errors).toBeUndefined();
    return { data: body.data!.sessions, statements: recorder.statements.filter((s) => !/\bapi_tokens\b/.test(s)) };
  } finally {
    recorder.stop();
  }
}

interface Expected { id: string; runner: { kind: string; label: string }; user: string | null; attachments: string[] }

/** What a role's page shows, from the fixture: rows newest first (owners in fixture order), runner email, user, attachments. */
function expected(owners: UserKey[], withAttachments: boolean): Expected[] {
  const w = t.world;
  return owners.flatMap((key) =>
    w.sessions[key].map((id, i) => ({
      id,
      runner: { kind: "USER", label: w.users[key].email },
      user: w.users[key].id,
      attachments: withAttachments ? [w.attachments[key][i]] : [],
    })),
  );
}

const shape = (rows: Row[]) => rows.map((r) => ({ id: r.id, runner: r.runner, user: r.user?.id ?? null, attachments: r.attachments.map((a) => a.id) }));

describe("Session History through the folded root list", () => {
  const anonymous: Expected = { id: "", runner: { kind: "ANONYMOUS", label: "Public link run" }, user: null, attachments: [] };
  const cases: [string, () => GraphQLClient, () => Expected[]][] = [
    ["an admin: the organization's sessions, every attachment", () => t.world.clients.asAdmin, () => [...expected(["admin", "developer", "member", "member2"], true), { ...anonymous, id: anonymousRun }]],
    ["a developer: their own sessions and attachments", () => t.world.clients.asDeveloper, () => expected(["developer"], true)],
    ["a member: their own sessions, no attachments", () => t.world.clients.asMember, () => expected(["member"], false)],
    ["an admin of another organization: that organization's only", () => t.world.clients.asOtherOrgAdmin, () => expected(["otherAdmin", "otherMember"], true)],
  ];

  it.each(cases)("%s, in one statement", async (_name, client, rows) => {
    const { data, statements } = await history(client());
    expect(shape(data.nodes)).toEqual(rows());
    expect(data.totalCount).toBe(rows().length);
    expect(data.totalCountIsExact).toBe(true);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/FROM sessions t WHERE \(t\.organization_id = \$\d+::uuid/);
    expect(await unfolded(() => history(client()).then((r) => r.data))).toEqual(data);
  });

  const filters: [string, Record<string, unknown>][] = [
    ["two-letter search", { search: "ev" }],
    ["search with a trigram", { search: "app.dev" }],
    ["date range", { dateRange: { from: "2020-01-01", to: "2020-01-01" } }],
    ["statuses", { statuses: ["COMPLETED"] }],
    ["a search nothing matches", { search: "no such app" }],
  ];

  it.each(filters)("filter: %s is one statement and the unfolded answer, for every role", async (_name, filter) => {
    for (const [, client] of cases) {
      const { data, statements } = await history(client(), { filter });
      expect(statements).toHaveLength(1);
      expect(await unfolded(() => history(client(), { filter }).then((r) => r.data))).toEqual(data);
    }
  });

  it("a two-letter search matches the runners' emails within the caller's scope only", async () => {
    // "XA" is in every user's email (example.test) and in no app id, app name or anonymous label.
    const filter = { search: "XA" };
    const owners: [GraphQLClient, UserKey[]][] = [
      [t.world.clients.asAdmin, ["admin", "developer", "member", "member2"]],
      [t.world.clients.asDeveloper, ["developer"]],
      [t.world.clients.asMember, ["member"]],
      [t.world.clients.asOtherOrgAdmin, ["otherAdmin", "otherMember"]],
    ];
    for (const [client, keys] of owners) {
      const { data } = await history(client, { filter });
      expect(data.nodes.map((r) => r.id)).toEqual(keys.flatMap((key) => t.world.sessions[key]));
      expect(data.totalCount).toBe(data.nodes.length);
    }
  });

  it("a page after a cursor counts the whole list; past the end it counts it on its own", async () => {
    const first = await t.world.clients.asAdmin.raw<History>({ query: HISTORY.replace("first: 50", "first: 2") });
    const cursor = first.body.data!.sessions.pageInfo.endCursor;
    const total = first.body.data!.sessions.totalCount;
    const next = await history(t.world.clients.asAdmin, { after: cursor });
    expect(next.data.nodes.length).toBe(total - 2);
    expect(next.data.totalCount).toBe(total);
    expect(next.statements).toHaveLength(1);
    const past = await history(t.world.clients.asAdmin, { after: next.data.pageInfo.endCursor });
    expect(past.data.nodes).toEqual([]);
    expect(past.data.totalCount).toBe(total);
    expect(past.statements).toHaveLength(2);
  });
});
