import { Arg, Args, Authorized, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { CurrentScope } from "../auth";
import { ConnectionType, PageArgs } from "../shared/connection";
import { assertFound } from "../shared/errors";
import { SessionFilter } from "../sessions";
import { ActivityFilter } from "../activities";
import { User, UserFilter } from "../users";
import { BadUserInputError } from "../shared/errors";
import {
  ACTIVITY_COLUMNS, ActivityColumn, chooseColumns, COLUMN_SETS, offeredColumns, SESSION_COLUMNS, SessionColumn, USER_COLUMNS, USER_DATA_COLUMNS, UserColumn,
} from "./columns";
import { ExportColumnInfo } from "./export-columns.types";
import { ExportPreview } from "./export-preview.types";
import type { SignedLink } from "./download-links";
import { Export, ExportKind, ExportStatus } from "./export.entity";
import { ExportOptions, ExportPreviewFilter } from "./export.inputs";
import type { ExportsScope } from "./exports.scope";

export const ExportConnection = ConnectionType(Export, "Export");

/** One link per export object and request, so `url` and `urlExpiresAt` agree. */
const linkOf = new WeakMap<Export, Promise<SignedLink | null>>();

function signedLink(exp: Export, scope: ExportsScope): Promise<SignedLink | null> {
  let link = linkOf.get(exp);
  if (!link) {
    link = exp.status === ExportStatus.COMPLETED && exp.storageKey ? scope.links.exportFile(exp.id, exp.storageKey, exp.fileName) : Promise.resolve(null);
    linkOf.set(exp, link);
  }
  return link;
}

const written = (options: ExportOptions | null) => ({ neutralizeFormulas: options?.neutralizeFormulas ?? true, bom: options?.bom ?? false });

const IDEMPOTENCY_KEY = {
  nullable: true,
  description: "Your key for this request (1–200 characters, e.g. a UUID): asked again with the same key and the same arguments within 24 hours, the mutation answers the export it started then and starts nothing; with different arguments it answers IDEMPOTENCY_KEY_REUSED and starts nothing. Keys are yours alone: another caller's key never meets yours.",
} as const;

/** The filter field of ExportPreviewFilter that belongs to each previewable kind. */
const PREVIEW_FILTER = { [ExportKind.SESSIONS]: "sessions", [ExportKind.ACTIVITIES]: "activities", [ExportKind.USERS]: "users" } as const;

@Resolver(() => Export)
export class ExportResolver {
  @Authorized()
  @Query(() => Export, { nullable: true, description: "An export you asked for (admins: any of the organization's); null otherwise." })
  export(@Arg("id", () => ID) id: string, @CurrentScope() scope: ExportsScope) {
    return scope.exports.table.byIds([id]).then(([e]) => e);
  }

  @Authorized()
  @Query(() => ExportConnection, { description: "Your exports, newest first (admins: the organization's, an audit trail)." })
  exports(@Args() page: PageArgs, @CurrentScope() scope: ExportsScope) {
    return scope.exports.page(page);
  }

  @Authorized()
  @Mutation(() => Export, { description: "Exports exactly the sessions that `sessions(filter)` lists for you, in the same order." })
  exportSessions(
    @Arg("filter", () => SessionFilter, { nullable: true }) filter: SessionFilter | null,
    @Arg("columns", () => [SessionColumn], { nullable: true, description: "Columns in file order; default: every column offered to your role." }) columns: SessionColumn[] | null,
    @Arg("options", () => ExportOptions, { nullable: true }) options: ExportOptions | null,
    @Arg("idempotencyKey", () => String, IDEMPOTENCY_KEY) idempotencyKey: string | null,
    @CurrentScope() scope: ExportsScope,
  ) {
    const chosen = chooseColumns(SESSION_COLUMNS, scope.viewer.role, columns);
    return scope.exports.request({ kind: ExportKind.SESSIONS, filter, columns: chosen, ...written(options), idempotencyKey });
  }

  @Authorized()
  @Mutation(() => Export, { description: "Exports exactly the activities that `activities(filter)` lists for you: who, what, when, where." })
  exportActivities(
    @Arg("filter", () => ActivityFilter, { nullable: true }) filter: ActivityFilter | null,
    @Arg("columns", () => [ActivityColumn], { nullable: true, description: "Columns in file order; default: all." }) columns: ActivityColumn[] | null,
    @Arg("options", () => ExportOptions, { nullable: true }) options: ExportOptions | null,
    @Arg("idempotencyKey", () => String, IDEMPOTENCY_KEY) idempotencyKey: string | null,
    @CurrentScope() scope: ExportsScope,
  ) {
    const chosen = chooseColumns(ACTIVITY_COLUMNS, scope.viewer.role, columns);
    return scope.exports.request({ kind: ExportKind.ACTIVITIES, filter, columns: chosen, ...written(options), idempotencyKey });
  }

  @Authorized()
  @Mutation(() => Export, { description: "The unique-users report: one row per user of `users(filter)`, with tags and properties." })
  exportUsers(
    @Arg("filter", () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Arg("columns", () => [UserColumn], { nullable: true, description: "Columns in file order; default: all." }) columns: UserColumn[] | null,
    @Arg("options", () => ExportOptions, { nullable: true }) options: ExportOptions | null,
    @Arg("idempotencyKey", () => String, IDEMPOTENCY_KEY) idempotencyKey: string | null,
    @CurrentScope() scope: ExportsScope,
  ) {
    const chosen = chooseColumns(USER_COLUMNS, scope.viewer.role, columns);
    return scope.exports.request({ kind: ExportKind.USERS, filter, columns: chosen, ...written(options), idempotencyKey });
  }

  @Authorized()
  @Mutation(() => Export, { description: "One user's profile and full activity (admins: any user of the organization; others: themselves)." })
  async exportUserData(
    @Arg("userId", () => ID) userId: string,
    @Arg("options", () => ExportOptions, { nullable: true }) options: ExportOptions | null,
    @Arg("idempotencyKey", () => String, IDEMPOTENCY_KEY) idempotencyKey: string | null,
    @CurrentScope() scope: ExportsScope,
  ) {
    assertFound(await scope.userLoaders.usersById.load(userId), "User", userId);
    return await scope.exports.request({
      kind: ExportKind.USER_DATA, filter: {}, columns: Object.keys(USER_DATA_COLUMNS), ...written(options), subjectUserId: userId.toLowerCase(), idempotencyKey,
    });
  }

  @Authorized()
  @Query(() => [ExportColumnInfo], {
    description: "The column dictionary of an export kind: each column you may ask for, in default file order, with its CSV header, its meaning and whether it is admin-only (columns showing other users' data are listed to admins only).",
  })
  exportColumns(@Arg("kind", () => ExportKind) kind: ExportKind, @CurrentScope() scope: ExportsScope): ExportColumnInfo[] {
    const set = COLUMN_SETS[kind];
    return offeredColumns(set, scope.viewer.role).map((column) => ({
      column, header: set[column].header, meaning: set[column].meaning, adminOnly: set[column].adminOnly ?? false, numeric: set[column].numeric ?? false,
    }));
  }

  @Authorized()
  @Query(() => ExportPreview, {
    description: "What an export of SESSIONS, ACTIVITIES or USERS would hold for you, without starting it: row count (the list's totalCount for the same filter), estimated size, headers and the first 10 rows as written.",
  })
  exportPreview(
    @Arg("kind", () => ExportKind) kind: ExportKind,
    @Arg("filter", () => ExportPreviewFilter, { nullable: true, description: "Set the field of `kind` (sessions, activities or users)." }) filter: ExportPreviewFilter | null,
    @Arg("columns", () => [String], { nullable: true, description: "Column keys (exportColumns(kind)) in file order; default: every column offered to your role." }) columns: string[] | null,
    @Arg("options", () => ExportOptions, { nullable: true }) options: ExportOptions | null,
    @CurrentScope() scope: ExportsScope,
  ) {
    if (kind === ExportKind.USER_DATA) throw new BadUserInputError("exportPreview covers SESSIONS, ACTIVITIES and USERS.", { argument: "kind" });
    const field = PREVIEW_FILTER[kind];
    const other = (Object.values(PREVIEW_FILTER) as string[]).find((f) => f !== field && filter?.[f as keyof ExportPreviewFilter] != null);
    if (other) throw new BadUserInputError(`filter.${other} does not apply to ${kind}; set filter.${field}.`, { argument: "filter" });
    const chosen = chooseColumns(COLUMN_SETS[kind], scope.viewer.role, columns);
    return scope.exports.preview({ kind, filter: filter?.[field] ?? null, columns: chosen, ...written(options) });
  }

  @Authorized()
  @Mutation(() => Export, {
    description:
      "Cancels a QUEUED or RUNNING export (yours; admins: any of the organization's): a running job stops within a second and its temporary file is removed; status CANCELED. Other statuses: EXPORT_NOT_CANCELABLE.",
  })
  cancelExport(@Arg("id", () => ID) id: string, @CurrentScope() scope: ExportsScope) {
    return scope.exports.cancel(id);
  }

  @Authorized()
  @Mutation(() => Export, {
    description: "Runs a FAILED or CANCELED export again from the start (yours; admins: any of the organization's); it comes back QUEUED. Other statuses: EXPORT_NOT_RETRYABLE.",
  })
  retryExport(@Arg("id", () => ID) id: string, @CurrentScope() scope: ExportsScope) {
    return scope.exports.retry(id);
  }

  @FieldResolver(() => String, { nullable: true, description: "Signed download URL, minted on each read; null until COMPLETED." })
  async url(@Root() exp: Export, @CurrentScope() scope: ExportsScope): Promise<string | null> {
    return (await signedLink(exp, scope))?.url ?? null;
  }

  @FieldResolver(() => Date, { nullable: true, description: "When `url` stops working." })
  async urlExpiresAt(@Root() exp: Export, @CurrentScope() scope: ExportsScope): Promise<Date | null> {
    return (await signedLink(exp, scope))?.expiresAt ?? null;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who asked (null when you may not read that user, or they were deleted)." })
  requestedBy(@Root() exp: Export, @CurrentScope() scope: ExportsScope) {
    return exp.requestedById ? scope.userLoaders.usersById.load(exp.requestedById) : null;
  }
}
