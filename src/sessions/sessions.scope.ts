import type { ReadPlanner } from "../access";
import type { UserLoaders } from "../users";
import type { Attachment } from "./attachment.entity";
import type { SessionLoaders } from "./session.loaders";
import type { SessionRepository } from "./session.repository";

/** Signed download links for attachments, minted fresh on each read. */
export interface AttachmentLinks {
  /** Null when the file is unavailable. */
  attachment(attachment: Attachment): PromiseLike<{ url: string }> | null;
}

/** What the sessions feature needs from a request. */
export interface SessionsScope {
  sessions: SessionRepository;
  sessionLoaders: SessionLoaders;
  /** A run's user, for the runner's label. */
  userLoaders: Pick<UserLoaders, "usersById">;
  reads: ReadPlanner;
  links: AttachmentLinks;
}
