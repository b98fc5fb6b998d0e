/**
 * The entity graph: for each GraphQL entity type, its scoped table, its loader by id, and its
 * relation fields. This is the one place a relation is declared: relation-fields.ts adds each
 * to the schema (type, arguments, description) with FoldedReads.related as its resolver, and
 * the folded-read planner folds it into its parent's statement by priming the very loader key
 * that resolution asks for. test/folded-reads.test.ts compares every answer with folding off.
 */
import type { RelationGraph } from "./folded-reads";
import type { CompanyLoaders, CompanyRepository } from "../companies";
import { userFields, type UserLoaders, type UserRepository } from "../users";
import { RUNNER_USER, sessionFields, type SessionLoaders, type SessionRepository } from "../sessions";
import { activityFields, type ActivityLoaders, type ActivityRepository } from "../activities";

/** What the graph reads from a request scope (RequestScope provides it). */
export interface GraphScope {
  companies: CompanyRepository;
  companyLoaders: CompanyLoaders;
  users: UserRepository;
  userLoaders: UserLoaders;
  sessions: SessionRepository;
  sessionLoaders: SessionLoaders;
  activities: ActivityRepository;
  activityLoaders: ActivityLoaders;
}

const MAY_NOT_READ = "Null when the caller may not read that user.";

export const relationGraph: RelationGraph<GraphScope> = {
  Company: {
    fields: null,
    table: (s) => s.companies.table,
    ids: (s) => s.companyLoaders.companiesById,
    relations: {
      users: { kind: "many", target: "User", loaders: (s) => s.userLoaders.usersOfCompany, description: "The company's users the caller may read, by name." },
      sessions: { kind: "many", target: "Session", loaders: (s) => s.sessionLoaders.sessionsOfCompany, description: "The company's sessions the caller may read, newest first." },
      activities: { kind: "many", target: "Activity", loaders: (s) => s.activityLoaders.activitiesOfCompany, description: "The company's activities the caller may read, newest first." },
    },
  },
  User: {
    fields: userFields,
    table: (s) => s.users.table,
    ids: (s) => s.userLoaders.usersById,
    relations: {
      company: { kind: "one", target: "Company", foreignKey: "companyId" },
      sessions: { kind: "many", target: "Session", loaders: (s) => s.sessionLoaders.sessionsOfUser, description: "The user's sessions the caller may read, newest first." },
      activities: { kind: "many", target: "Activity", loaders: (s) => s.activityLoaders.activitiesOfUser, description: "The user's activities the caller may read, newest first." },
    },
  },
  Session: {
    fields: sessionFields,
    table: (s) => s.sessions.table,
    ids: (s) => s.sessionLoaders.sessionsById,
    relations: {
      user: { kind: "one", target: "User", foreignKey: "userId" },
      company: { kind: "one", target: "Company", foreignKey: "companyId" },
      creator: { kind: "one", target: "User", foreignKey: "creatorId", description: MAY_NOT_READ },
      launcher: { kind: "one", target: "User", foreignKey: "launcherId", description: MAY_NOT_READ },
      approver: { kind: "one", target: "User", foreignKey: "approverId", description: MAY_NOT_READ },
      canceledBy: { kind: "one", target: "User", foreignKey: "canceledById", description: "Who canceled it; null when the caller may not read that user." },
      activities: { kind: "many", target: "Activity", loaders: (s) => s.activityLoaders.activitiesOfSession, description: "The session's activities the caller may read, newest first." },
    },
    loads: {
      // SessionResolver.runner: the label of a user's run is the user's email.
      runner: { kind: "one", target: "User", foreignKey: "userId", projection: RUNNER_USER },
      attachments: { kind: "list", loader: (s) => s.sessionLoaders.attachmentsBySessionId },
    },
  },
  Activity: {
    fields: activityFields,
    table: (s) => s.activities.table,
    relations: {
      user: { kind: "one", target: "User", foreignKey: "userId" },
      company: { kind: "one", target: "Company", foreignKey: "companyId" },
      session: { kind: "one", target: "Session", foreignKey: "sessionId" },
    },
  },
};
