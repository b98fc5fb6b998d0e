/**
 * cancelSession: PENDING and RESERVED sessions, and UPLOADED Live Conversation sessions, become
 * CANCELED and release their pending units; every other status answers SESSION_NOT_CANCELABLE
 * and stays as it was. Admins cancel any
 * session of their organization, others only their own; the rest looks like NOT_FOUND.
 */
import { insertRows } from "../../src/db/insert";
import { ErrorCode } from "../../src/shared/errors";
import { CancelSessionDocument } from "../generated/graphql";
import { useWorld, type Caller, type UserKey } from "../support/world";

const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 });

const ALL_STATUSES = ["PENDING", "RESERVED", "ACCEPTED", "STARTED", "PROBLEM", "ON_HOLD", "UPLOADING", "UPLOADED", "COMPLETED", "EXPIRED", "REFUNDED", "CANCELED"];
const CANCELABLE = ["PENDING", "RESERVED"];

/** A fresh session of `owner` in `status` with 3 pending units. */
async function sessionOf(owner: UserKey, status = "PENDING", testType: string | null = null): Promise<string> {
  const user = t.world.users[owner];
  const [id] = await insertRows(t.gateway.dataSource.manager, "sessions", [{
    organization_id: user.organizationId, user_id: user.id, company_id: user.companyId, status,
    launched_at: new Date(), units_pending: 3, app_id: "app.cancel", test_type: testType,
  }]);
  return id;
}

async function stored(id: string): Promise<{ status: string; units_pending: number; canceled_by_id: string | null }> {
  const [row] = await t.gateway.dataSource.query(`SELECT status, units_pending, canceled_by_id FROM sessions WHERE id = $1`, [id]);
  return row;
}

const cancel = (caller: Caller, id: string) => t.world.clients[caller].request(CancelSessionDocument, { id });

describe("cancelSession", () => {
  it.each(CANCELABLE)("cancels a %s session and releases its pending units", async (status) => {
    const id = await sessionOf("member", status);
    const { body } = await cancel("asMember", id);
    expect(body.errors).toBeUndefined();
    expect(body.data!.cancelSession).toMatchObject({ id, status: "CANCELED", unitsPending: 0, canceledBy: { id: t.world.users.member.id } });
    expect(Date.now() - Date.parse(body.data!.cancelSession.canceledAt!)).toBeLessThan(60_000);
    expect(await stored(id)).toEqual({ status: "CANCELED", units_pending: 0, canceled_by_id: t.world.users.member.id });
  });

  it.each(ALL_STATUSES.filter((s) => !CANCELABLE.includes(s)))("refuses a %s session and leaves it unchanged", async (status) => {
    const id = await sessionOf("member", status);
    const { body } = await cancel("asAdmin", id);
    expect(body.data).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code: ErrorCode.SESSION_NOT_CANCELABLE, status });
    expect(await stored(id)).toEqual({ status, units_pending: 3, canceled_by_id: null });
  });

  // Session data export: "This process does not apply to sessions with the status of on hold,
  // problem, uploading, or uploaded [...] For Live Conversation sessions, you can cancel sessions
  // with the status of uploaded."
  it("cancels an UPLOADED Live Conversation session", async () => {
    const id = await sessionOf("member", "UPLOADED", "Live Conversation");
    const { body } = await cancel("asMember", id);
    expect(body.errors).toBeUndefined();
    expect(body.data!.cancelSession).toMatchObject({ id, status: "CANCELED", unitsPending: 0 });
    expect(await stored(id)).toEqual({ status: "CANCELED", units_pending: 0, canceled_by_id: t.world.users.member.id });
  });

  it.each([
    ["UPLOADED", "Unmoderated"],
    ["UPLOADED", "live conversation (pilot)"],
    ["ON_HOLD", "Live Conversation"],
    ["PROBLEM", "Live Conversation"],
    ["UPLOADING", "Live Conversation"],
    ["COMPLETED", "Live Conversation"],
  ])("refuses a %s session of test type %s and leaves it unchanged", async (status, testType) => {
    const id = await sessionOf("member", status, testType);
    const { body } = await cancel("asAdmin", id);
    expect(body.data).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code: ErrorCode.SESSION_NOT_CANCELABLE, status, testType });
    expect(body.errors![0].message).toContain("UPLOADED Live Conversation sessions");
    expect(await stored(id)).toEqual({ status, units_pending: 3, canceled_by_id: null });
  });

  it("an UPLOADED Live Conversation session of someone else is NOT_FOUND to a member and another organization's admin", async () => {
    for (const caller of ["asMember", "asDeveloper", "asOtherOrgAdmin"] as const) {
      const id = await sessionOf("member2", "UPLOADED", "Live Conversation");
      const { body } = await cancel(caller, id);
      expect(body.errors![0].extensions!.code).toBe(ErrorCode.NOT_FOUND);
      expect(await stored(id)).toEqual({ status: "UPLOADED", units_pending: 3, canceled_by_id: null });
    }
  });

  describe("who may cancel", () => {
    const cases: [Caller, UserKey, "CANCELED" | typeof ErrorCode.NOT_FOUND | typeof ErrorCode.UNAUTHENTICATED][] = [
      ["asAdmin", "member", "CANCELED"],
      ["asAdmin", "developer", "CANCELED"],
      ["asDeveloper", "developer", "CANCELED"],
      ["asMember", "member", "CANCELED"],
      ["asMember", "member2", ErrorCode.NOT_FOUND],
      ["asDeveloper", "member", ErrorCode.NOT_FOUND],
      ["asMember", "admin", ErrorCode.NOT_FOUND],
      ["asOtherOrgAdmin", "member", ErrorCode.NOT_FOUND],
      ["asAdmin", "otherMember", ErrorCode.NOT_FOUND],
      ["anonymous", "member", ErrorCode.UNAUTHENTICATED],
    ];
    it.each(cases)("%s cancelling a session of %s → %s", async (caller, owner, outcome) => {
      const id = await sessionOf(owner);
      const { body } = await cancel(caller, id);
      if (outcome === "CANCELED") {
        expect(body.errors).toBeUndefined();
        expect(body.data!.cancelSession.status).toBe("CANCELED");
        expect((await stored(id)).status).toBe("CANCELED");
      } else {
        expect(body.errors![0].extensions!.code).toBe(outcome);
        // Out of scope looks exactly like a session that does not exist.
        if (outcome === ErrorCode.NOT_FOUND) expect(body.errors![0].message).toBe(`Session ${id} not found.`);
        expect(await stored(id)).toEqual({ status: "PENDING", units_pending: 3, canceled_by_id: null });
      }
    });
  });

  it("answers NOT_FOUND for a session that does not exist", async () => {
    const { body } = await cancel("asAdmin", "00000000-0000-4000-8000-000000000000");
    expect(body.errors![0].extensions!.code).toBe(ErrorCode.NOT_FOUND);
  });

  it("cancels once when ten callers cancel the same session at the same time", async () => {
    const id = await sessionOf("member");
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => cancel(i % 2 ? "asAdmin" : "asMember", id)));
    const succeeded = results.filter((r) => !r.body.errors);
    const refused = results.filter((r) => r.body.errors?.[0].extensions?.code === ErrorCode.SESSION_NOT_CANCELABLE);
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(9);
    expect(refused[0].body.errors![0].extensions!.status).toBe("CANCELED");
    const winner = succeeded[0].body.data!.cancelSession.canceledBy!.id;
    expect((await stored(id)).canceled_by_id).toBe(winner);
  });
});
