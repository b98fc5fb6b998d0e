import { fieldColumns, type Projection } from "../access";
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

/** What a run's label reads of its user (SessionResolver.runner); the relation graph folds the same read. */
export const RUNNER_USER: Projection = ["email"];
