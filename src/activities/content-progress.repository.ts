import { ScopedTable, type ViewerAccess } from "../access";
import type { KeysetOrder } from "../shared/connection";
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

  constructor(private readonly access: ViewerAccess) {
    this.table = new ScopedTable(access, { entity: ContentProgress, table: "content_progress", order: contentProgressOrder });
  }

  /**
   * Deletes the user's progress rows and stamps `content_reset_at`, in one transaction that
   * holds the user's ingestion lock (a concurrent trackActivities runs wholly before or after).
   * Both statements carry the viewer's policy; false when the user is out of scope.
   */
  async reset(userId: string): Promise<boolean> {
    return await this.access.transaction(async (tx) => {
      await tx.lock("sessiongraph.activities", [userId]);
      const stamped = await tx.query({ u: "users" }, (scope, p) => `UPDATE users u SET content_reset_at = now() WHERE u.id = ${p.add(userId)}::uuid AND ${scope.u} RETURNING u.id`);
      if (stamped.length === 0) return false;
      await tx.query({ p: "content_progress" }, (scope, params) => `DELETE FROM content_progress p WHERE p.user_id = ${params.add(userId)}::uuid AND ${scope.p}`);
      return true;
    });
  }
}
