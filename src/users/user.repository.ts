import type { EntityManager } from "typeorm";
import { ScopedRepository, anyOf, scopePredicate, type Condition, type Viewer } from "../auth";
import { BadUserInputError, NotFoundError, assertFound } from "../shared/errors";
import { SqlParams, isUuid } from "../shared/sql";
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
  constructor(private readonly manager: EntityManager, private readonly viewer: Viewer) {
    super(manager, viewer, { entity: User, table: "users", order: userOrder }, userConditions);
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
   * cleared. One transaction;
   * the user row is locked first, so concurrent deletions of one user delete it once.
   */
  async deleteWithData(id: string): Promise<DeletedUserData & { exportFiles: string[] }> {
    if (id === this.viewer.userId) throw new BadUserInputError("You cannot delete your own user; ask another admin.", { argument: "userId" });
    if (!isUuid(id)) throw new NotFoundError("User", id);
    return await this.manager.transaction(async (tx) => {
      const params = new SqlParams();
      const userId = params.add(id);
      const scope = scopePredicate("users", "u", this.viewer, params);
      const [locked] = await tx.query(`SELECT u.id FROM users u WHERE u.id = ${userId}::uuid AND ${scope} FOR UPDATE`, params.values);
      if (!locked) throw new NotFoundError("User", id);
      // Data-modifying CTEs see the same snapshot, so each counts exactly the rows it removes;
      // the final DELETE cascades nothing further (every dependent row is already gone).
      const [counts] = await tx.query(
        `WITH own_sessions AS (SELECT id FROM sessions WHERE user_id = $1::uuid),
         deleted_attachments AS (
           DELETE FROM attachments WHERE user_id = $1::uuid OR session_id IN (SELECT id FROM own_sessions) RETURNING 1),
         deleted_activities AS (
           DELETE FROM activities WHERE user_id = $1::uuid RETURNING 1),
         deleted_sessions AS (DELETE FROM sessions WHERE user_id = $1::uuid RETURNING 1),
         deleted_tokens AS (DELETE FROM api_tokens WHERE owner_id = $1::uuid RETURNING 1),
         deleted_progress AS (DELETE FROM content_progress WHERE user_id = $1::uuid RETURNING 1),
         -- Exports holding only their data: of them, or asked by them with a role that reads only their own rows.
         deleted_exports AS (
           DELETE FROM exports WHERE subject_user_id = $1::uuid OR (requested_by_id = $1::uuid AND requester_role <> 'ADMIN')
           RETURNING storage_key),
         cleared AS (
           UPDATE sessions SET
             creator_id = NULLIF(creator_id, $1::uuid), launcher_id = NULLIF(launcher_id, $1::uuid),
             approver_id = NULLIF(approver_id, $1::uuid), canceled_by_id = NULLIF(canceled_by_id, $1::uuid)
           WHERE (user_id IS DISTINCT FROM $1::uuid)
             AND $1::uuid IN (creator_id, launcher_id, approver_id, canceled_by_id) RETURNING 1)
         SELECT (SELECT count(*) FROM deleted_sessions)::int AS sessions,
                (SELECT count(*) FROM deleted_activities)::int AS activities,
                (SELECT count(*) FROM deleted_attachments)::int AS attachments,
                (SELECT count(*) FROM deleted_tokens)::int AS "apiTokens",
                (SELECT count(*) FROM deleted_progress)::int AS "contentProgress",
                (SELECT count(*) FROM cleared)::int AS "sessionReferencesCleared",
                (SELECT count(*) FROM deleted_exports)::int AS exports,
                (SELECT coalesce(array_agg(storage_key), '{}') FROM deleted_exports WHERE storage_key IS NOT NULL) AS "exportFiles"`,
        [id],
      );
      await tx.query(`DELETE FROM users WHERE id = $1::uuid`, [id]);
      return { userId: id, ...counts };
    });
  }
}
