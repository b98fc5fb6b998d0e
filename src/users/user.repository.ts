import { ScopedRepository, anyOf, type Condition, type ViewerAccess } from "../access";
import { BadUserInputError, NotFoundError, assertFound } from "../shared/errors";
import { isUuid } from "../shared/sql";
import type { KeysetOrder } from "../shared/connection";
import { containsPattern } from "../shared/sql";
import type { DeletedUserData } from "./user.types";
import { User } from "./user.entity";
import type { UserFilter } from "./user.inputs";
import { validIds } from "../shared/ids";

export const userOrder: KeysetOrder<User> = {
  name: "users",
  columns: ["last_name", "first_name", "id"],
  direction: "ASC",
  types: ["text", "text", "uuid"],
  values: (u) => [u.lastName, u.firstName, u.id],
};

export function userConditions(filter: UserFilter | null | undefined): Condition[] {
  const f = filter ?? {};
  const search = f.search;
  const conditions: (Condition | null)[] = [
    search
      ? (a, p) => {
          const pattern = p.add(containsPattern(search));
          return `${a}.first_name ILIKE ${pattern} OR ${a}.last_name ILIKE ${pattern} OR ${a}.email ILIKE ${pattern} OR ${a}.username ILIKE ${pattern}`;
        }
      : null,
    anyOf("company_id", f.companyIds && validIds(f.companyIds, "filter.companyIds"), "uuid"),
    anyOf("role", f.roles, "role"),
  ];
  return conditions.filter((c): c is Condition => c !== null);
}

/** Users the viewer may read: the organization's for admins, themselves for others. */
export class UserRepository extends ScopedRepository<User, UserFilter> {
  constructor(private readonly access: ViewerAccess) {
    super(access, { entity: User, table: "users", order: userOrder }, userConditions);
  }

  /** Marks a user as excluded from (or back in) traffic; NOT_FOUND outside the viewer's scope. */
  async setExcludedFromTraffic(id: string, excluded: boolean): Promise<User> {
    const user = await this.table.update(id, (p) => `excluded_from_traffic = ${p.add(excluded)}`);
    return assertFound(user, "User", id);
  }

  /**
   * Permanently deletes a user the viewer may read, with everything that is theirs: sessions
   * (and those sessions' attachments and activities), activities, attachments, API tokens and
   * content progress, and the exports that hold only their data (whose stored files the caller
   * deletes after the commit: `exportFiles`). References to them in other users' sessions are
   * cleared. One transaction; every statement carries the viewer's policy for each table it
   * touches. The user row is locked first, so concurrent deletions of one user delete it once.
   */
  async deleteWithData(id: string): Promise<DeletedUserData & { exportFiles: string[] }> {
    if (id === this.access.viewer.userId) throw new BadUserInputError("You cannot delete your own user; ask another admin.", { argument: "userId" });
    if (!isUuid(id)) throw new NotFoundError("User", id);
    return await this.access.transaction(async (tx) => {
      const [locked] = await tx.query({ u: "users" }, (scope, p) => `SELECT u.id FROM users u WHERE u.id = ${p.add(id)}::uuid AND ${scope.u} FOR UPDATE`);
      if (!locked) throw new NotFoundError("User", id);
      // Data-modifying CTEs see the same snapshot, so each counts exactly the rows it removes;
      // the final DELETE cascades nothing further (every dependent row is already gone).
      const [counts] = await tx.query<Omit<DeletedUserData, "userId"> & { exportFiles: string[] }>(
        { own: "sessions", att: "attachments", act: "activities", ses: "sessions", tok: "api_tokens", prog: "content_progress", ex: "exports", ref: "sessions" },
        (scope, p) => {
          const user = `${p.add(id)}::uuid`;
          return `WITH own_sessions AS (SELECT own.id FROM sessions own WHERE own.user_id = ${user} AND ${scope.own}),
         deleted_attachments AS (
           DELETE FROM attachments att WHERE (att.user_id = ${user} OR att.session_id IN (SELECT id FROM own_sessions)) AND ${scope.att} RETURNING 1),
         deleted_activities AS (
           DELETE FROM activities act WHERE act.user_id = ${user} AND ${scope.act} RETURNING 1),
         deleted_sessions AS (DELETE FROM sessions ses WHERE ses.user_id = ${user} AND ${scope.ses} RETURNING 1),
         deleted_tokens AS (DELETE FROM api_tokens tok WHERE tok.owner_id = ${user} AND ${scope.tok} RETURNING 1),
         deleted_progress AS (DELETE FROM content_progress prog WHERE prog.user_id = ${user} AND ${scope.prog} RETURNING 1),
         -- Exports holding only their data: of them, or asked by them with a role that reads only their own rows.
         deleted_exports AS (
           DELETE FROM exports ex WHERE (ex.subject_user_id = ${user} OR (ex.requested_by_id = ${user} AND ex.requester_role <> 'ADMIN')) AND ${scope.ex}
           RETURNING ex.storage_key),
         cleared AS (
           UPDATE sessions ref SET
             creator_id = NULLIF(ref.creator_id, ${user}), launcher_id = NULLIF(ref.launcher_id, ${user}),
             approver_id = NULLIF(ref.approver_id, ${user}), canceled_by_id = NULLIF(ref.canceled_by_id, ${user})
           WHERE (ref.user_id IS DISTINCT FROM ${user})
             AND ${user} IN (ref.creator_id, ref.launcher_id, ref.approver_id, ref.canceled_by_id) AND ${scope.ref} RETURNING 1)
         SELECT (SELECT count(*) FROM deleted_sessions)::int AS sessions,
                (SELECT count(*) FROM deleted_activities)::int AS activities,
                (SELECT count(*) FROM deleted_attachments)::int AS attachments,
                (SELECT count(*) FROM deleted_tokens)::int AS "apiTokens",
                (SELECT count(*) FROM deleted_progress)::int AS "contentProgress",
                (SELECT count(*) FROM cleared)::int AS "sessionReferencesCleared",
                (SELECT count(*) FROM deleted_exports)::int AS exports,
                (SELECT coalesce(array_agg(storage_key), '{}') FROM deleted_exports WHERE storage_key IS NOT NULL) AS "exportFiles"`;
        },
      );
      await tx.query({ u: "users" }, (scope, p) => `DELETE FROM users u WHERE u.id = ${p.add(id)}::uuid AND ${scope.u}`);
      return { userId: id, ...counts };
    });
  }
}
