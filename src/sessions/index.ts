export { Session } from "./session.entity";
export { Attachment } from "./attachment.entity";
export { SessionStatus, RunnerKind, AttachmentKind } from "./session-status";
export { SessionFilter } from "./session.inputs";
export { SessionRepository, sessionConditions, sessionOrder } from "./session.repository";
export { createSessionLoaders, type SessionLoaders } from "./session.loaders";
export {
  SessionResolver,
  AttachmentResolver,
  UserSessionsResolver,
  CompanySessionsResolver,
  SessionConnection,
} from "./session.resolver";
export { sessionFields } from "./session.fields";
