import { fieldColumns } from "../access";
import { Session } from "./session.entity";

/** What each computed Session field reads (src/access/projection.ts); column fields read themselves. */
export const sessionFields = fieldColumns(Session, {
  canceledBy: ["canceledById"],
  runner: ["apiTokenLabel", "userId", "anonymousLabel"],
  user: ["userId"],
  company: ["companyId"],
  creator: ["creatorId"],
  launcher: ["launcherId"],
  approver: ["approverId"],
  queueSeconds: ["launchedAt", "startedAt"],
  durationSeconds: ["startedAt", "completedAt"],
  actualDurationMinutes: ["startedAt", "completedAt"],
  inProgress: ["startedAt", "completedAt", "status"],
  attachments: ["id"],
  activities: ["id"],
});
