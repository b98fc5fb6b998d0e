/**
 * The entity graph of src/auth/folded-reads.ts: for each GraphQL entity type, its scoped table,
 * its loader by id, and its relation fields. A relation field is resolved from here
 * (FoldedReads.related, installed by createSchema; the resolver method declares the field and
 * calls the same function), and the planner folds it into its parent's statement by priming the
 * very loader key that resolution asks for. test/folded-reads.test.ts compares every answer with
 * folding off.
 */
import type { RelationGraph } from "./auth/folded-reads";
import type { ViewerScope } from "./context";
import { userFields } from "./users";
import { sessionFields } from "./sessions";
import { activityFields } from "./activities";

export const relationGraph: RelationGraph<ViewerScope> = {
  Company: {
    fields: null,
    table: (s) => s.companies.table,
    ids: (s) => s.loaders.companiesById,
    relations: {
      users: { kind: "many", target: "User", loaders: (s) => s.loaders.usersOfCompany },
      sessions: { kind: "many", target: "Session", loaders: (s) => s.loaders.sessionsOfCompany },
      activities: { kind: "many", target: "Activity", loaders: (s) => s.loaders.activitiesOfCompany },
    },
  },
  User: {
    fields: userFields,
    table: (s) => s.users.table,
    ids: (s) => s.loaders.usersById,
    relations: {
      company: { kind: "one", target: "Company", foreignKey: "companyId" },
      sessions: { kind: "many", target: "Session", loaders: (s) => s.loaders.sessionsOfUser },
      activities: { kind: "many", target: "Activity", loaders: (s) => s.loaders.activitiesOfUser },
    },
  },
  Session: {
    fields: sessionFields,
    table: (s) => s.sessions.table,
    ids: (s) => s.loaders.sessionsById,
    relations: {
      user: { kind: "one", target: "User", foreignKey: "userId" },
      company: { kind: "one", target: "Company", foreignKey: "companyId" },
      creator: { kind: "one", target: "User", foreignKey: "creatorId" },
      launcher: { kind: "one", target: "User", foreignKey: "launcherId" },
      approver: { kind: "one", target: "User", foreignKey: "approverId" },
      canceledBy: { kind: "one", target: "User", foreignKey: "canceledById" },
      activities: { kind: "many", target: "Activity", loaders: (s) => s.loaders.activitiesOfSession },
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
