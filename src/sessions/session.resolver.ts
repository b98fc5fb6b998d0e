import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { CurrentScope } from "../auth";
import type { ViewerScope } from "../context";
import { ConnectionType, PageArgs } from "../shared/connection";
import { Company } from "../companies";
import { User } from "../users";
import { projectionOf } from "../shared/projection";
import { sessionFields } from "./session.fields";
import { Attachment } from "./attachment.entity";
import { Session } from "./session.entity";
import { SessionFilter } from "./session.inputs";
import { RunnerKind, SessionStatus } from "./session-status";
import { SessionRunner } from "./session.types";

export const SessionConnection = ConnectionType(Session, "Session");

const secondsBetween = (from: Date | null, to: Date | null) =>
  from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;


/** Statuses in which a started session is still running. */
const RUNNING = new Set([SessionStatus.STARTED, SessionStatus.UPLOADING, SessionStatus.UPLOADED]);

@Resolver(() => Session)
export class SessionResolver {
  @Authorized()
  @Query(() => Session, { nullable: true, description: "Null when absent or outside the caller's scope." })
  session(@Arg("id", () => ID) id: string, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.byId<Session>("Session", id, info);
  }

  @Authorized()
  @Query(() => SessionConnection, { description: "Session history, newest first. Admins: the organization's; others: their own." })
  sessions(
    @Arg("filter", () => SessionFilter, { nullable: true }) filter: SessionFilter | null,
    @Args() page: PageArgs,
    @CurrentScope() scope: ViewerScope,
    @Info() info: GraphQLResolveInfo,
  ) {
    return scope.sessions.page(filter, page, projectionOf(info, sessionFields, { connection: true }));
  }

  @Authorized()
  @Mutation(() => Session, {
    description: "Cancels a PENDING or RESERVED session and releases its pending units. Admins: any session of the organization; others: their own. Other statuses: SESSION_NOT_CANCELABLE.",
  })
  async cancelSession(@Arg("id", () => ID) id: string, @CurrentScope() scope: ViewerScope): Promise<Session> {
    const session = await scope.sessions.cancel(id);
    scope.loaders.sessionsById.clear(id).prime(id, session);
    return session;
  }

  @FieldResolver(() => User, { nullable: true, description: "Who canceled it; null when the caller may not read that user." })
  canceledBy(@Root() session: Session, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Session", "canceledBy", session, {}, info);
  }

  @FieldResolver(() => SessionRunner)
  async runner(@Root() session: Session, @CurrentScope() scope: ViewerScope): Promise<SessionRunner> {
    if (session.apiTokenLabel) return { kind: RunnerKind.API_TOKEN, label: session.apiTokenLabel };
    if (!session.userId) return { kind: RunnerKind.ANONYMOUS, label: session.anonymousLabel ?? "Anonymous" };
    const user = await scope.loaders.usersById.load(session.userId);
    return { kind: RunnerKind.USER, label: user?.email ?? "Unknown user" };
  }

  @FieldResolver(() => User, { nullable: true })
  user(@Root() session: Session, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Session", "user", session, {}, info);
  }

  @FieldResolver(() => Company, { nullable: true })
  company(@Root() session: Session, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Session", "company", session, {}, info);
  }

  @FieldResolver(() => User, { nullable: true, description: "Null when the caller may not read that user." })
  creator(@Root() session: Session, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Session", "creator", session, {}, info);
  }

  @FieldResolver(() => User, { nullable: true, description: "Null when the caller may not read that user." })
  launcher(@Root() session: Session, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Session", "launcher", session, {}, info);
  }

  @FieldResolver(() => User, { nullable: true, description: "Null when the caller may not read that user." })
  approver(@Root() session: Session, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Session", "approver", session, {}, info);
  }

  @FieldResolver(() => Int, { nullable: true, description: "Seconds between launch and start." })
  queueSeconds(@Root() session: Session): number | null {
    return secondsBetween(session.launchedAt, session.startedAt);
  }

  @FieldResolver(() => Int, { nullable: true, description: "Seconds between start and completion; null while in progress." })
  durationSeconds(@Root() session: Session): number | null {
    return secondsBetween(session.startedAt, session.completedAt);
  }

  @FieldResolver(() => Int, { nullable: true, description: "Actual duration in whole minutes." })
  actualDurationMinutes(@Root() session: Session): number | null {
    const seconds = secondsBetween(session.startedAt, session.completedAt);
    return seconds === null ? null : Math.round(seconds / 60);
  }

  @FieldResolver(() => Boolean, { description: "Started and not yet completed." })
  inProgress(@Root() session: Session): boolean {
    return session.startedAt !== null && session.completedAt === null && RUNNING.has(session.status);
  }

  @FieldResolver(() => [Attachment], { description: "Logs and other files; members see none (DESIGN.md roles)." })
  attachments(@Root() session: Session, @CurrentScope() scope: ViewerScope) {
    return scope.loaders.attachmentsBySessionId.load(session.id);
  }
}

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => Boolean, { description: "Whether the file can be downloaded." })
  available(@Root() attachment: Attachment): boolean {
    return attachment.storageKey !== null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "A signed download URL, minted on each read (default lifetime 15 minutes); null when the file is unavailable.",
  })
  async downloadUrl(@Root() attachment: Attachment, @CurrentScope() scope: ViewerScope): Promise<string | null> {
    return (await scope.links.attachment(attachment))?.url ?? null;
  }
}

@Resolver(() => User)
export class UserSessionsResolver {
  @FieldResolver(() => SessionConnection, { description: "The user's sessions the caller may read, newest first." })
  sessions(@Root() user: User, @Args() page: PageArgs, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("User", "sessions", user, page, info);
  }
}

@Resolver(() => Company)
export class CompanySessionsResolver {
  @FieldResolver(() => SessionConnection, { description: "The company's sessions the caller may read, newest first." })
  sessions(@Root() company: Company, @Args() page: PageArgs, @CurrentScope() scope: ViewerScope, @Info() info: GraphQLResolveInfo) {
    return scope.folded.related("Company", "sessions", company, page, info);
  }
}
