import { ScopedRepository, ScopedTable, anyOf, type Condition, type ViewerAccess } from "../access";
import { assertFound } from "../shared/errors";
import type { KeysetOrder } from "../shared/connection";
import { dateRangeCondition } from "../shared/date-range";
import { validIds } from "../shared/ids";
import { containsPattern } from "../shared/sql";
import { Attachment } from "./attachment.entity";
import { Session } from "./session.entity";
import { sessionCounts } from "./session-counts";
import { hasTrigram } from "./session-search";
import { SessionNotCancelableError } from "./session.errors";
import { LIVE_CONVERSATION, SessionStatus } from "./session-status";
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
    const trigrams = hasTrigram(search);
    conditions.push((a, p) => {
      const pattern = p.add(containsPattern(search));
      // Matches what the row shows as who ran it (an API token's label, an anonymous label, the
      // user's email) and the user's username. Users of other organizations never match: the
      // sessions' scope predicate holds.
      // With a trigram in the search, the users are matched once (an uncorrelated InitPlan the
      // trigram indexes serve), so each branch of the OR is an index condition
      // (sessions_search_trgm, sessions_runner_label_trgm, sessions_user_launched) and the
      // planner can BitmapOr them. Without one ("ab"), no trigram index can narrow anything:
      // the rows are walked in list order and filtered, and matching every user first would
      // read the whole users table on each statement; each row's own user is looked up by key
      // instead, only when nothing else of the row matched (bench/RESULTS.md, issue 16).
      const users = trigrams
        ? `${a}.user_id = ANY (ARRAY(SELECT su.id FROM users su WHERE su.username ILIKE ${pattern} OR su.email ILIKE ${pattern}))`
        : `(SELECT su.username ILIKE ${pattern} OR su.email ILIKE ${pattern} FROM users su WHERE su.id = ${a}.user_id)`;
      return `${a}.app_id ILIKE ${pattern} OR ${a}.app_name ILIKE ${pattern} OR ${a}.contributor_username ILIKE ${pattern}
        OR ${a}.api_token_label ILIKE ${pattern} OR ${a}.anonymous_label ILIKE ${pattern}
        OR ${users}`;
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

/** The statuses any session can be canceled from: still waiting, nothing recorded yet. */
export const CANCELABLE_STATUSES: readonly SessionStatus[] = [SessionStatus.PENDING, SessionStatus.RESERVED];

/**
 * The cancel rule of the session data export: pending sessions can be canceled, but not those
 * On Hold, Problem, Uploading or Uploaded, except that a Live Conversation session can be
 * canceled in Uploaded. One condition, so the check and the write stay one statement.
 */
export const cancelable: Condition = (a, p) =>
  `(${a}.status = ANY (${p.add(CANCELABLE_STATUSES)}::session_status[])
    OR (${a}.status = 'UPLOADED' AND ${a}.test_type = ${p.add(LIVE_CONVERSATION)}))`;

/** Sessions the viewer may read: the organization's for admins, their own for others. */
export class SessionRepository extends ScopedRepository<Session, SessionFilter> {
  readonly attachments: ScopedTable<Attachment>;
  constructor(private readonly access: ViewerAccess) {
    super(access, { entity: Session, table: "sessions", order: sessionOrder }, sessionConditions, sessionCounts);
    this.attachments = new ScopedTable(access, { entity: Attachment, table: "attachments", order: attachmentOrder });
  }

  /**
   * Cancels a PENDING or RESERVED session, or an UPLOADED Live Conversation session, the viewer
   * may read (admins: any of the organization's; others: their own) and releases its pending units. The status check and
   * the write are one statement, so of several concurrent cancels exactly one succeeds.
   * Throws NOT_FOUND out of scope, SESSION_NOT_CANCELABLE in any other status.
   */
  async cancel(id: string): Promise<Session> {
    const canceled = await this.table.update(
      id,
      (p) => `status = 'CANCELED', units_pending = 0, canceled_at = now(), canceled_by_id = ${p.add(this.access.viewer.userId)}::uuid`,
      [cancelable],
    );
    if (canceled) return canceled;
    const [current] = await this.table.byIds([id]);
    const found = assertFound(current, "Session", id);
    throw new SessionNotCancelableError(id, found.status, found.testType);
  }
}
