import type { Viewer } from "../access";

/**
 * Recently verified API tokens, so a busy client's requests do not each pay a lookup. An entry
 * lives `ttlMs` (AUTH_CACHE_SECONDS) at most. Revoking a token, changing or deleting its owner
 * drops the entries in every process, wherever the change was written: the database announces it
 * (triggers, channel `sessiongraph_auth_revocations`) and `auth-events.ts` calls `forget`; the TTL
 * only matters while that listener is reconnecting (it calls `clear` once back). Expiry is
 * checked on every use. Bounded: the oldest entries go first.
 */
interface Entry {
  viewer: Viewer;
  expiresAt: number | null;
  cachedAt: number;
}

const MAX_ENTRIES = 10_000;
const entries = new Map<string, Entry>();
/** When this process last recorded each token's use (last_used_at is written at most once a minute). */
const lastRecorded = new Map<string, number>();

export const apiTokenCache = {
  get(digest: string, ttlMs: number): Entry | undefined {
    const entry = entries.get(digest);
    if (!entry) return undefined;
    if (Date.now() - entry.cachedAt >= ttlMs) {
      entries.delete(digest);
      return undefined;
    }
    return entry;
  },
  set(digest: string, viewer: Viewer, expiresAt: Date | null): void {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(digest, { viewer, expiresAt: expiresAt?.getTime() ?? null, cachedAt: Date.now() });
  },
  /** Drops the entries of a token (revoked) or of every token of a user (deleted). */
  forget(match: { tokenId?: string; userId?: string }): void {
    for (const [digest, { viewer }] of entries) {
      if (viewer.apiTokenId === match.tokenId || viewer.userId === match.userId) entries.delete(digest);
    }
  },
  /** Drops every entry (revocations may have been missed). */
  clear(): void {
    entries.clear();
  },
  /** True when this process should record the token's use now (at most once a minute). */
  shouldRecordUse(tokenId: string): boolean {
    const now = Date.now();
    if (now - (lastRecorded.get(tokenId) ?? 0) < 60_000) return false;
    if (lastRecorded.size >= MAX_ENTRIES) lastRecorded.delete(lastRecorded.keys().next().value!);
    lastRecorded.set(tokenId, now);
    return true;
  },
};
