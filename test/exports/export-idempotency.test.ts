/**
 * Idempotent exports over real HTTP, PostgreSQL and the job queue: the same idempotency key with
 * the same arguments from the same caller within 24 hours answers the same export and starts
 * nothing; with different arguments it answers IDEMPOTENCY_KEY_REUSED and starts nothing;
 * concurrent calls with one key start one export; keys are the caller's own.
 */
import { randomUUID } from "node:crypto";
import { insertRows } from "../../src/db/insert";
import { ErrorCode } from "../../src/shared/errors";
import {
  ActivityColumn, ExportActivitiesDocument, ExportByIdDocument, ExportSessionsDocument, ExportUserDataDocument, ExportUsersDocument, SessionColumn, UserColumn,
  type ExportFieldsFragment,
} from "../generated/graphql";
import type { GraphQLClient, GraphQLResponse } from "../support/client";
import { useDatabaseClient } from "../support/database";
import { finished } from "../support/exports";
import { rowChanges } from "../support/rows";
import { describeScopedMutation } from "../support/scoped";
import { useWorld, type Caller } from "../support/world";

jest.setTimeout(120_000);
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 1 });
const db = useDatabaseClient();

async function withKey(key: string): Promise<{ id: string; requested_by_id: string }[]> {
  const { rows } = await db().query(`SELECT id, requested_by_id FROM exports WHERE idempotency_key = $1 ORDER BY created_at`, [key]);
  return rows;
}

async function exportsOf(userId: string): Promise<number> {
  const { rows: [{ n }] } = await db().query(`SELECT count(*)::int AS n FROM exports WHERE requested_by_id = $1`, [userId]);
  return n;
}

const sessions = (client: GraphQLClient, idempotencyKey: string | undefined, extra: Record<string, unknown> = {}) =>
  client.request(ExportSessionsDocument, { columns: [SessionColumn.SESSION_ID, SessionColumn.STATUS], idempotencyKey, ...extra });

describe("idempotencyKey", () => {
  it("the same key and arguments answer the same export and start nothing", async () => {
    const key = randomUUID();
    const first = await sessions(t.world.clients.asAdmin, key);
    expect(first.body.errors).toBeUndefined();
    const started = first.body.data!.exportSessions;
    expect(started.idempotencyKey).toBe(key);
    const done = await finished(async () => (await t.world.clients.asAdmin.data(ExportByIdDocument, { id: started.id })).export!);
    const before = await exportsOf(t.world.users.admin.id);
    // The same arguments written differently (columns default order aside, the filter's absent fields as null) are the same request.
    const again = await sessions(t.world.clients.asAdmin, key, { filter: { search: null } });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.exportSessions).toMatchObject({ id: started.id, status: "COMPLETED", sha256: done.sha256, rowCount: done.rowCount });
    expect(await exportsOf(t.world.users.admin.id)).toBe(before);
    expect(await withKey(key)).toHaveLength(1);
  });

  it("a repeat with a full filter (date range, time zone, ids, statuses) is the same request", async () => {
    const key = randomUUID();
    const filter = {
      dateRange: { from: "2026-05-01", to: "2026-06-30" }, timeZone: "Europe/Paris", userIds: [t.world.users.member.id, t.world.users.admin.id],
      statuses: ["COMPLETED", "PENDING"], search: "app", includeRemoved: true,
    };
    const first = await sessions(t.world.clients.asAdmin, key, { filter, options: { bom: true, neutralizeFormulas: false } });
    expect(first.body.errors).toBeUndefined();
    const again = await sessions(t.world.clients.asAdmin, key, { filter: { ...filter }, options: { neutralizeFormulas: false, bom: true } });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.exportSessions.id).toBe(first.body.data!.exportSessions.id);
    // The ids in another order name the same users, but the request as sent differs: a new key is needed.
    const reordered = await sessions(t.world.clients.asAdmin, key, { filter: { ...filter, userIds: [...filter.userIds].reverse() }, options: { neutralizeFormulas: false, bom: true } });
    expect(reordered.body.errors![0].extensions!.code).toBe(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    expect(await withKey(key)).toHaveLength(1);
  });

  it.each([
    ["a different filter", { filter: { statuses: ["PENDING"] } }],
    ["different columns", { columns: [SessionColumn.SESSION_ID] }],
    ["different options", { options: { bom: true } }],
  ])("the same key with %s answers IDEMPOTENCY_KEY_REUSED and starts nothing", async (_name, extra) => {
    const key = randomUUID();
    const first = await sessions(t.world.clients.asMember, key);
    const before = await exportsOf(t.world.users.member.id);
    const reused = await sessions(t.world.clients.asMember, key, extra);
    expect(reused.body.data).toBeNull();
    expect(reused.body.errors![0].extensions).toMatchObject({ code: ErrorCode.IDEMPOTENCY_KEY_REUSED, exportId: first.body.data!.exportSessions.id });
    expect(await exportsOf(t.world.users.member.id)).toBe(before);
  });

  it("the same key on another export mutation is a different request: IDEMPOTENCY_KEY_REUSED", async () => {
    const key = randomUUID();
    await sessions(t.world.clients.asAdmin, key);
    const before = await exportsOf(t.world.users.admin.id);
    const other = await t.world.clients.asAdmin.request(ExportUsersDocument, { columns: [UserColumn.USER_ID], idempotencyKey: key });
    expect(other.body.errors![0].extensions!.code).toBe(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    expect(await exportsOf(t.world.users.admin.id)).toBe(before);
  });

  it("every export mutation takes a key", async () => {
    const client = t.world.clients.asDeveloper;
    const runs: [string, (key: string) => Promise<GraphQLResponse<Record<string, ExportFieldsFragment>>>][] = [
      ["exportSessions", (key) => sessions(client, key) as never],
      ["exportActivities", (key) => client.request(ExportActivitiesDocument, { columns: [ActivityColumn.ACTIVITY_ID], idempotencyKey: key }) as never],
      ["exportUsers", (key) => client.request(ExportUsersDocument, { columns: [UserColumn.USER_ID], idempotencyKey: key }) as never],
      ["exportUserData", (key) => client.request(ExportUserDataDocument, { userId: t.world.users.developer.id, idempotencyKey: key }) as never],
    ];
    for (const [field, run] of runs) {
      const key = randomUUID();
      const first = (await run(key)).body.data![field];
      const second = (await run(key)).body.data![field];
      expect(second.id).toBe(first.id);
      expect(await withKey(key)).toHaveLength(1);
    }
  });

  it("ten concurrent calls with one key start one export, and all answer it", async () => {
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => sessions(t.world.clients.asAdmin, key)));
    const ids = answers.map((a) => {
      expect(a.body.errors).toBeUndefined();
      return a.body.data!.exportSessions.id;
    });
    expect(new Set(ids).size).toBe(1);
    expect(await withKey(key)).toEqual([{ id: ids[0], requested_by_id: t.world.users.admin.id }]);
  });

  it("after 24 hours the key starts a new export; the old one keeps its record", async () => {
    const key = randomUUID();
    const old = (await sessions(t.world.clients.asMember, key)).body.data!.exportSessions;
    await finished(async () => (await t.world.clients.asMember.data(ExportByIdDocument, { id: old.id })).export!);
    await db().query(`UPDATE exports SET created_at = now() - interval '24 hours 1 second' WHERE id = $1`, [old.id]);
    // Even with other arguments: the old request no longer holds the key.
    const fresh = await sessions(t.world.clients.asMember, key, { columns: [SessionColumn.SESSION_ID] });
    expect(fresh.body.errors).toBeUndefined();
    expect(fresh.body.data!.exportSessions.id).not.toBe(old.id);
    expect((await withKey(key)).map((r) => r.id)).toEqual([fresh.body.data!.exportSessions.id]);
    const { rows: [kept] } = await db().query(`SELECT status::text AS status FROM exports WHERE id = $1`, [old.id]);
    expect(kept.status).toBe("COMPLETED");
  });

  it.each([
    ["blank", "  "],
    ["over 200 characters", "k".repeat(201)],
  ])("a %s key is BAD_USER_INPUT and starts nothing", async (_name, key) => {
    const before = await exportsOf(t.world.users.admin.id);
    const { body } = await sessions(t.world.clients.asAdmin, key);
    expect(body.errors![0].extensions).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, argument: "idempotencyKey" });
    expect(await exportsOf(t.world.users.admin.id)).toBe(before);
  });
});

// Keys are the caller's own. The admin's export under key K (a finished fixture, so no job moves a
// row meanwhile): the admin asking again with K gets it back and nothing changes; every other
// caller sending K with the same arguments starts an export of its own and never sees the admin's.
type Answer = { exportSessions: ExportFieldsFragment };
const KEYED = "keyed-";
describeScopedMutation<{ key: string; exportId: string }>("exportSessions with the admin's idempotency key", { world: () => t.world, db }, {
  target: async (w) => {
    const key = `${KEYED}${randomUUID()}`;
    const [exportId] = await insertRows(t.gateway.dataSource.manager, "exports", [{
      organization_id: w.organizationId, requested_by_id: w.users.admin.id, requester_role: "ADMIN", kind: "SESSIONS",
      columns: [SessionColumn.SESSION_ID], filter: "{}", file_name: "sessions-fixture.csv", status: "FAILED", error: "fixture",
      completed_at: new Date(), idempotency_key: key,
    }]);
    return { key, exportId };
  },
  run: async (client, target) => {
    const answer = await client.request(ExportSessionsDocument, { columns: [SessionColumn.SESSION_ID], idempotencyKey: target.key });
    const started = answer.body.data?.exportSessions;
    if (!started) return answer;
    // Followed to the end, so no row moves after the call.
    const done = await finished(async () => (await client.data(ExportByIdDocument, { id: started.id })).export!);
    return { ...answer, body: { ...answer.body, data: { exportSessions: done } } };
  },
  expected: {
    asAdmin: { changes: () => rowChanges({}) },
    asDeveloper: { changes: (_t, data) => rowChanges({ exports: { added: [(data as Answer).exportSessions.id] } }) },
    asMember: { changes: (_t, data) => rowChanges({ exports: { added: [(data as Answer).exportSessions.id] } }) },
    asOtherOrgAdmin: { changes: (_t, data) => rowChanges({ exports: { added: [(data as Answer).exportSessions.id] } }) },
  },
  verify: (target, caller: Caller, { refusal, data }) => {
    if (refusal) return;
    const answered = (data as Answer).exportSessions;
    if (caller === "asAdmin") expect(answered).toMatchObject({ id: target.exportId, status: "FAILED" });
    else expect(answered).toMatchObject({ status: "COMPLETED", idempotencyKey: target.key, requestedBy: { id: t.world.users[{ asDeveloper: "developer", asMember: "member", asOtherOrgAdmin: "otherAdmin" }[caller as "asMember"] as "member"].id } });
  },
});
