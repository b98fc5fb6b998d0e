import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { CurrentScope } from "../auth";
import { ConnectionType, PageArgs } from "../shared/connection";
import { Attachment } from "./attachment.entity";
import { Session } from "./session.entity";
import { SessionFilter } from "./session.inputs";
import { RUNNER_USER } from "./session.fields";
import { RunnerKind } from "./session-status";
import { SessionRunner } from "./session.types";
import type { SessionsScope } from "./sessions.scope";

export const SessionConnection = ConnectionType(Session, "Session");

@Resolver(() => Session)
export class SessionResolver {
  @Authorized()
  @Query(() => Session, { nullable: true, description: "Null when absent or outside the caller's scope." })
  session(@Arg("id", () => ID) id: string, @CurrentScope() scope: SessionsScope, @Info() info: GraphQLResolveInfo) {
    return scope.reads.byId<Session>("Session", id, info);
  }

  @Authorized()
  @Query(() => SessionConnection, { description: "Session history, newest first. Admins: the organization's; others: their own." })
  sessions(
    @Arg("filter", () => SessionFilter, { nullable: true }) filter: SessionFilter | null,
    @Args() page: PageArgs,
    @CurrentScope() scope: SessionsScope,
    @Info() info: GraphQLResolveInfo,
  ) {
    return scope.sessions.page(filter, page, scope.reads.list("Session", info, page));
  }

  @Authorized()
  @Mutation(() => Session, {
    description: "Cancels a PENDING or RESERVED session and releases its pending units. Admins: any session of the organization; others: their own. Other statuses: SESSION_NOT_CANCELABLE.",
  })
  async cancelSession(@Arg("id", () => ID) id: string, @CurrentScope() scope: SessionsScope): Promise<Session> {
    const session = await scope.sessions.cancel(id);
    scope.sessionLoaders.sessionsById.clear(id).prime(id, session);
    return session;
  }

  @FieldResolver(() => SessionRunner)
  async runner(@Root() session: Session, @CurrentScope() scope: SessionsScope): Promise<SessionRunner> {
    if (session.apiTokenLabel) return { kind: RunnerKind.API_TOKEN, label: session.apiTokenLabel };
    if (!session.userId) return { kind: RunnerKind.ANONYMOUS, label: session.anonymousLabel ?? "Anonymous" };
    const user = await scope.userLoaders.usersById.load(session.userId, RUNNER_USER);
    return { kind: RunnerKind.USER, label: user?.email ?? "Unknown user" };
  }

  @FieldResolver(() => [Attachment], { description: "Logs and other files; members see none (DESIGN.md roles)." })
  attachments(@Root() session: Session, @CurrentScope() scope: SessionsScope) {
    return scope.sessionLoaders.attachmentsBySessionId.load(session.id);
  }
}

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: "A signed download URL, minted on each read (default lifetime 15 minutes); null when the file is unavailable.",
  })
  async downloadUrl(@Root() attachment: Attachment, @CurrentScope() scope: SessionsScope): Promise<string | null> {
    return (await scope.links.attachment(attachment))?.url ?? null;
  }
}
