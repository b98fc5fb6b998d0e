import { ErrorCode } from "../../src/shared/errors";
import type { GraphQLClient } from "./client";
import { CALLERS, type Caller, type World } from "./world";

export interface ScopedCase {
  /** Runs the query as one caller and returns the ids it saw (sorted or not). */
  read: (client: GraphQLClient) => Promise<{ ids: string[]; errors?: readonly { extensions?: Record<string, unknown> }[] }>;
  /** The ids each authenticated caller must see, exactly. Anonymous callers must get UNAUTHENTICATED. */
  expected: (world: World) => Record<Exclude<Caller, "anonymous">, string[]>;
}

/**
 * The four-role matrix for one query: ADMIN, DEVELOPER, MEMBER and another organization's
 * admin each see exactly their scope (compared by id), and no credentials gets UNAUTHENTICATED.
 */
export function describeScoped(name: string, world: () => World, scopedCase: ScopedCase): void {
  describe(name, () => {
    for (const caller of CALLERS) {
      it(caller === "anonymous" ? "refuses a caller without credentials" : `shows ${caller} exactly its scope`, async () => {
        const w = world();
        const { ids, errors } = await scopedCase.read(w.clients[caller]);
        if (caller === "anonymous") {
          expect(ids).toEqual([]);
          expect(errors?.[0]?.extensions?.code).toBe(ErrorCode.UNAUTHENTICATED);
          return;
        }
        expect(errors ?? []).toEqual([]);
        expect([...ids].sort()).toEqual([...scopedCase.expected(w)[caller]].sort());
      });
    }
  });
}
