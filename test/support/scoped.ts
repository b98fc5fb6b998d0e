import type { Client } from "pg";
import { ErrorCode } from "../../src/shared/errors";
import type { GraphQLClient, GraphQLResponse } from "./client";
import { diffRows, snapshotRows, type RowChanges } from "./rows";
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

/** How a caller is refused: out of scope looks like not found; a role the schema refuses is FORBIDDEN. */
export type Refusal = typeof ErrorCode.NOT_FOUND | typeof ErrorCode.FORBIDDEN;

/** A caller the mutation serves: the rows its write changes, exactly (see `rowChanges`). */
export interface Allowed<T> {
  changes: (target: T, data: unknown) => RowChanges;
}

export interface ScopedMutationCase<T> {
  /** Builds the rows the mutation aims at, afresh for every caller (an allowed write changes them). */
  target: (world: World) => Promise<T>;
  /** Runs the mutation as one caller against the target. */
  run: (client: GraphQLClient, target: T) => Promise<GraphQLResponse<unknown>>;
  /**
   * Per authenticated caller: its refusal (then no row of either organization may change), or
   * what its write changes. No credentials always gets UNAUTHENTICATED and changes nothing.
   */
  expected: Record<Exclude<Caller, "anonymous">, Refusal | Allowed<T>>;
  /**
   * Where a refusal shows in the answer. Default: `data` is null and `errors[0].extensions.code`
   * carries it. trackActivities answers per event instead.
   */
  refusal?: (body: GraphQLResponse<unknown>["body"]) => string | undefined;
  /** More checks after each call, e.g. counts of the target's rows or the stored row's owner. */
  verify?: (target: T, caller: Caller, outcome: { refusal: Refusal | typeof ErrorCode.UNAUTHENTICATED | null; data: unknown; changes: RowChanges }) => Promise<void> | void;
}

function defaultRefusal(body: GraphQLResponse<unknown>["body"]): string | undefined {
  expect(body.data ?? null).toBeNull();
  return body.errors?.[0]?.extensions?.code as string | undefined;
}

/**
 * The four-role matrix for one mutation against one target row (or set of rows): each caller
 * that must not change it gets its refusal, and every row of both organizations reads the same
 * before and after (whole rows, compared with a plain pg client); each caller allowed to change
 * it changes exactly the rows the case names, which shows the test can fail.
 */
export function describeScopedMutation<T>(
  name: string,
  context: { world: () => World; db: () => Client },
  mutationCase: ScopedMutationCase<T>,
): void {
  describe(name, () => {
    for (const caller of CALLERS) {
      const expected = caller === "anonymous" ? ErrorCode.UNAUTHENTICATED : mutationCase.expected[caller];
      const title = caller === "anonymous"
        ? "refuses a caller without credentials, and no row changes"
        : typeof expected === "string"
          ? `${caller} → ${expected}, and no row of either organization changes`
          : `${caller} may: changes exactly the rows it names`;
      it(title, async () => {
        const w = context.world();
        const target = await mutationCase.target(w);
        const organizations = [w.organizationId, w.otherOrganizationId];
        const before = await snapshotRows(context.db(), organizations);
        const { body } = await mutationCase.run(w.clients[caller], target);
        const changes = diffRows(before, await snapshotRows(context.db(), organizations));
        if (typeof expected === "string") {
          const code = caller === "anonymous" ? defaultRefusal(body) : (mutationCase.refusal ?? defaultRefusal)(body);
          expect(code).toBe(expected);
          expect(changes).toEqual({});
          await mutationCase.verify?.(target, caller, { refusal: expected, data: body.data, changes });
        } else {
          expect(body.errors ?? []).toEqual([]);
          expect(changes).toEqual(expected.changes(target, body.data));
          await mutationCase.verify?.(target, caller, { refusal: null, data: body.data, changes });
        }
      });
    }
  });
}
