import type { EntityManager } from "typeorm";
import { ScopedRepository, ScopedTable, anyOf, type Condition, type Viewer } from "../auth";
import type { KeysetOrder } from "../shared/connection";
import { dateRangeCondition } from "../shared/date-range";
import { validIds } from "../shared/ids";
import { containsPattern } from "../shared/sql";
import { Attachment } from "./attachment.entity";
import { Session } from "./session.entity";
import type { SessionFilter } from "./session.inputs";

/** Newest first; id breaks ties so sessions launched at the same instant page stably. */
export const sessionOrder: KeysetOrder<Session> = {
  name: "sessions",
  columns: ["launched_at", "id"],
  direction: "DESC",
  types: ["timestamptz", "uuid"],
  values: (s) => [s.launchedAt, s.id],
};

const attachmentOrder: KeysetOrder<Attachment> = {
  name: "attachments", columns: ["created_at", "id"], direction: "ASC", types: ["timestamptz", "uuid"], values: (a) => [a.createdAt, a.id],
};

/** Removed sessions (replaced, refunded, hidden) leave every list unless asked for. */
export const notRemoved: Condition = (a) => `NOT ${a}.removed`;

/** The filter as SQL conditions; shared by the list, nested lists and (later) exports. */
export function sessionConditions(filter: SessionFilter | null | undefined): Condition[] {
  const f = filter ?? {};
  const conditions: Condition[] = [];
  if (!f.includeRemoved) conditions.push(notRemoved);
  if (f.search) {
    const search = f.search;
    conditions.push((a, p) => {
      const pattern = p.add(containsPattern(search));
      return `${a}.app_id ILIKE ${pattern} OR ${a}.app_name ILIKE ${pattern} OR ${a}.contributor_username ILIKE ${pattern}
        OR EXISTS (SELECT 1 FROM users su WHERE su.id = ${a}.user_id AND su.username ILIKE ${pattern})`;
    });
  }
  if (f.dateRange) {
    const range = f.dateRange;
    conditions.push((a, p) => dateRangeCondition(`${a}.launched_at`, range, f.timeZone, p));
  }
  if (f.pendingUnitsOnly) conditions.push((a) => `${a}.units_pending > 0`);
  const lists = [
    anyOf("user_id", f.userIds && validIds(f.userIds, "filter.userIds"), "uuid"),
    anyOf("device_type", f.deviceTypes, "text"),
    anyOf("os_version", f.osVersions, "text"),
    anyOf("status", f.statuses, "session_status"),
  ];
  return [...conditions, ...lists.filter((c): c is Condition => c !== null)];
}

/** Sessions the viewer may read: the organization's for admins, their own for others. */
export class SessionRepository extends ScopedRepository<Session, SessionFilter> {
  readonly attachments: ScopedTable<Attachment>;
  constructor(manager: EntityManager, viewer: Viewer) {
    super(manager, viewer, { entity: Session, table: "sessions", order: sessionOrder }, sessionConditions);
    this.attachments = new ScopedTable(manager, viewer, { entity: Attachment, table: "attachments", order: attachmentOrder });
  }
}
