export { Role } from "./role";
export { lowerRole, type Viewer } from "./viewer";
// The policy itself stays inside access: everything else gets its predicates through a ScopedTable or a scoped statement.
export type { ScopedTableName } from "./policy";
export { fieldColumns, projectionKey, type FieldColumns, type Projection } from "./projection";
export { COUNT_BOUND, dayRange, onlyFields, type CountGrain, type CountPlan, type MaintainedCounts } from "./maintained-counts";
export { ScopedTable, ScopedRepository, anyOf, type Condition, type ListArgs, type TableSpec } from "./scoped-table";
export { idLoader, listLoader, relationLoaders, IdLoader, type PageKey, type RelationLoaders } from "./loaders";
export { foldedRow, foldedPage, foldedCount, fromJson, byIdFolded, type FoldedRead } from "./folded-sql";
export { ViewerAccess, type LockSpace } from "./viewer-access";
export { type ScopedStatement, type ScopePredicates, type StatementBuilder, type TableAliases } from "./statement";
export { systemQuery, systemInsert, systemTransaction, systemWrite } from "./system-query";
export type { Database } from "./database";
export type { ReadPlanner } from "./read-planner";
export { streamStatements, type StatementStreams } from "./statement-stream";
export { listenForNotifications, type NotificationListener, type NotificationListenerOptions } from "./notifications";
export { poolStats } from "./pool-stats";
