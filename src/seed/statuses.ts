/** Which session statuses the generator deals out, and how often. */
import { SessionStatus } from "../sessions";
import { weighted } from "./words";

const { PENDING, RESERVED, ACCEPTED, STARTED, PROBLEM, ON_HOLD, UPLOADING, UPLOADED, COMPLETED, EXPIRED, REFUNDED, CANCELED } = SessionStatus;

/** The 12 most recent user sessions get these, so every status exists whenever sessions >= 12. */
export const FORCED_STATUSES: SessionStatus[] = [COMPLETED, PENDING, STARTED, RESERVED, ACCEPTED, PROBLEM, ON_HOLD, UPLOADING, UPLOADED, EXPIRED, REFUNDED, CANCELED];
/** A user's last session launched in the final two weeks: often still open. */
export const RECENT_STATUS_WEIGHTS = weighted<SessionStatus>([
  [PENDING, 14], [RESERVED, 5], [ACCEPTED, 8], [STARTED, 8], [PROBLEM, 3], [ON_HOLD, 3],
  [UPLOADING, 4], [UPLOADED, 4], [COMPLETED, 44], [EXPIRED, 3], [REFUNDED, 1], [CANCELED, 3],
]);
/** Older sessions have mostly reached a final status; a few are stuck. */
export const OLD_STATUS_WEIGHTS = weighted<SessionStatus>([
  [COMPLETED, 150], [EXPIRED, 10], [REFUNDED, 7], [CANCELED, 10], [PROBLEM, 2], [ON_HOLD, 2], [UPLOADED, 1],
]);

/** Sessions in these statuses have a start time (and a contributor, an approver, maybe activities). */
export const STARTED_STATUSES: SessionStatus[] = [STARTED, PROBLEM, ON_HOLD, UPLOADING, UPLOADED, COMPLETED, REFUNDED];
export const NOT_STARTED_STATUSES = Object.values(SessionStatus).filter((s) => !STARTED_STATUSES.includes(s));
/** Sessions in these statuses have a completion time. */
export const COMPLETED_STATUSES: SessionStatus[] = [COMPLETED, REFUNDED];
/** Sessions in these statuses hold units that are booked but not yet used. */
export const PENDING_UNIT_STATUSES: SessionStatus[] = [PENDING, RESERVED, ACCEPTED];
/** Sessions in these statuses are always removed (a few completed ones are too). */
export const REMOVED_STATUSES: SessionStatus[] = [REFUNDED, CANCELED];
