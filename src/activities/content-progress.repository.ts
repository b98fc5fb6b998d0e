import type { EntityManager } from "typeorm";
import { ScopedTable, scopePredicate, type Viewer } from "../auth";
import type { KeysetOrder } from "../shared/connection";
import { SqlParams } from "../shared/sql";
import { lockUsers } from "./activity-ingest.repository";
import { ContentProgress } from "./content-progress.entity";

/** In the order the user met the content. */
export const contentProgressOrder: KeysetOrder<ContentProgress> = {
  name: "content_progress",
  columns: ["first_seen_at", "id"],
  direction: "ASC",
  types: ["timestamptz", "uuid"],
  values: (p) => [p.firstSeenAt, p.id],
};

/** Content progress the viewer may read (the organization's for admins, their own for others), and resets. */
export class ContentProgressRepository {
  readonly table: ScopedTable<ContentProgress>;

  constructor(
    private readonly manager: EntityManager,
    private readonly viewer: Viewer,
  ) {
    this.table = new ScopedTable(manager, viewer, { entity: ContentProgress, table: "content_progress", order: contentProgressOrder });
  }

  /**
   * Deletes the user's progress rows and stamps `content_reset_at`, in one transaction that
   * holds the user's ingestion lock (a concurrent trackActivities runs wholly before or after).
   * Both statements carry the viewer's policy; false when the user is out of scope.
   */
  async reset(userId: string): Promise<boolean> {
    return await this.manager.transaction(async (tx) => {
      await lockUsers(tx, [userId]);
      const params = new SqlParams();
      const id = params.add(userId);
      const [rows] = await tx.query(
        `UPDATE users u SET content_reset_at = now() WHERE u.id = ${id}::uuid AND ${scopePredicate("users", "u", this.viewer, params)} RETURNING u.id`,
        params.values,
      );
      if (rows.length === 0) return false;
      const deleteParams = new SqlParams();
      const user = deleteParams.add(userId);
      await tx.query(
        `DELETE FROM content_progress p WHERE p.user_id = ${user}::uuid AND ${scopePredicate("content_progress", "p", this.viewer, deleteParams)}`,
        deleteParams.values,
      );
      return true;
    });
  }
}
