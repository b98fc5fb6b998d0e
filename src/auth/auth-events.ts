/**
 * What every gateway process hears from the database about authentication, on one LISTEN
 * connection per process: revocations (a token revoked, re-roled or deleted; a user re-roled,
 * moved or deleted; sent by triggers, see the AuthCoordination migration) drop cached tokens, and
 * lockouts (an address reaching the failure limit on any process) refuse that address here too.
 * After a reconnection, when notifications may have been missed, the token cache starts empty
 * and the lockouts are read again.
 */
import { listenForNotifications, type Database, type NotificationListener } from "../access";
import type { Logger } from "../shared/logger";
import { apiTokenCache } from "./api-token-cache";
import { AUTH_LOCKOUTS_CHANNEL, type AuthFailureLimiter } from "./auth-failure-limiter";

/** Named in the AuthCoordination migration too, whose triggers send on it. */
export const AUTH_REVOCATIONS_CHANNEL = "sessiongraph_auth_revocations";

/** Drops the cached tokens a revocation payload (`{"tokenId"}` or `{"userId"}`) names. */
export function onRevocation(payload: string): void {
  try {
    const { tokenId, userId } = JSON.parse(payload) as { tokenId?: unknown; userId?: unknown };
    if (typeof tokenId === "string") apiTokenCache.forget({ tokenId });
    if (typeof userId === "string") apiTokenCache.forget({ userId });
  } catch {
    // Anyone who can connect may NOTIFY this channel: an unreadable payload changes nothing.
  }
}

/** Starts listening; resolves once LISTEN is in place (the first connection failing rejects). */
export async function listenForAuthEvents(database: Database, limiter: AuthFailureLimiter, logger: Logger): Promise<NotificationListener> {
  return await listenForNotifications(database, {
    channels: {
      [AUTH_REVOCATIONS_CHANNEL]: onRevocation,
      [AUTH_LOCKOUTS_CHANNEL]: (payload) => limiter.onLockout(payload),
    },
    onConnect: () => {
      apiTokenCache.clear();
      void limiter.reload();
    },
    logger,
  });
}
