/**
 * Relay-style connections with keyset pagination.
 *
 * Every list orders by a tuple of NOT NULL columns that ends in the primary key, all in one
 * direction, so "rows after the cursor" is a single row comparison that a btree index serves
 * (`(launched_at, id) < ($1, $2)`), and rows sharing a timestamp are neither skipped nor repeated.
 */
import { ArgsType, ClassType, Field, Int, ObjectType } from "type-graphql";
import { Max, Min } from "class-validator";
import { BadUserInputError } from "./errors";
import { SqlParams, isUuid } from "./sql";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The descriptions of a page's arguments, wherever a connection field takes them. */
export const PAGE_ARGUMENTS = {
  first: `Page size, 0 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}.`,
  after: "endCursor of the previous page.",
} as const;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: PAGE_ARGUMENTS.first })
  @Min(0, { message: "first must not be negative" })
  @Max(MAX_PAGE_SIZE, { message: `first must not be greater than ${MAX_PAGE_SIZE}` })
  first?: number;

  @Field(() => String, { nullable: true, description: PAGE_ARGUMENTS.after })
  after?: string;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  // May be computed only when selected (a promise): promises need a resolver (graphql-jit runs none for simple fields).
  @Field({ simple: false }) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/** How one list is ordered: column expressions (same direction) and the node values they come from. */
export interface KeysetOrder<T> {
  /** Distinguishes cursors of different lists, so a sessions cursor is refused by users. */
  name: string;
  columns: string[];
  direction: "ASC" | "DESC";
  values: (node: T) => (string | number | Date)[];
  /** Column types, to cast cursor values back ("timestamptz", "uuid", "text"). */
  types: string[];
}

export function encodeCursor<T>(order: KeysetOrder<T>, node: T): string {
  const values = order.values(node).map((v) => (v instanceof Date ? v.toISOString() : v));
  return Buffer.from(JSON.stringify([order.name, ...values])).toString("base64url");
}

/** Whether a cursor value casts to its column type without a database error. */
function cursorValueFits(value: string, type: string): boolean {
  if (type === "uuid") return isUuid(value);
  if (type === "timestamptz") {
    const year = new Date(value).getUTCFullYear();
    return !Number.isNaN(year) && year >= 1 && year <= 9999;
  }
  return !value.includes("\u0000");
}

export function decodeCursor<T>(order: KeysetOrder<T>, cursor: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new BadUserInputError("after is not a valid cursor", { argument: "after" });
  }
  const valid =
    Array.isArray(parsed) &&
    parsed[0] === order.name &&
    parsed.length === order.columns.length + 1 &&
    parsed.slice(1).every((v, i) => typeof v === "string" && cursorValueFits(v, order.types[i]));
  if (!valid) throw new BadUserInputError("after is not a valid cursor for this list", { argument: "after" });
  return (parsed as unknown[]).slice(1);
}

/** SQL for "after the cursor" in the list's order, or null without a cursor. */
export function afterPredicate<T>(order: KeysetOrder<T>, alias: string, after: string | undefined | null, params: SqlParams): string | null {
  if (!after) return null;
  const values = decodeCursor(order, after);
  const cols = order.columns.map((c) => `${alias}.${c}`).join(", ");
  const vals = values.map((v, i) => `${params.add(v)}::${order.types[i]}`).join(", ");
  return `(${cols}) ${order.direction === "DESC" ? "<" : ">"} (${vals})`;
}

export function orderByClause<T>(order: KeysetOrder<T>, alias: string): string {
  return order.columns.map((c) => `${alias}.${c} ${order.direction}`).join(", ");
}

export function pageSize(first: number | undefined | null): number {
  return first ?? DEFAULT_PAGE_SIZE;
}

/** A page as fetched: `size + 1` rows were asked for, so the extra one tells hasNextPage. */
export interface Page<T> {
  nodes: T[];
  /** Known from the fetched rows, or computed only if selected (a page of size 0 fetches none). */
  hasNextPage: boolean | (() => Promise<boolean>);
}

export function toPage<T>(rows: T[], size: number): Page<T> {
  return { nodes: rows.slice(0, size), hasNextPage: rows.length > size };
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** The connection value a resolver returns; totalCount runs its count only when selected. */
export class ConnectionValue<T> {
  readonly nodes: T[];
  constructor(
    private readonly page: Page<T>,
    private readonly order: KeysetOrder<T>,
    private readonly count: () => number | Promise<number>,
    /** Whether `count` is exact; lists whose count may stop at a bound say so (access/maintained-counts.ts). */
    private readonly exact: () => boolean | Promise<boolean> = () => true,
  ) {
    this.nodes = page.nodes;
  }
  /** Cursors are encoded only when a client selects edges or endCursor. */
  get edges(): Edge<T>[] {
    return this.nodes.map((node) => ({ cursor: encodeCursor(this.order, node), node }));
  }
  get pageInfo(): { hasNextPage: boolean | Promise<boolean>; endCursor: string | null } {
    const last = this.nodes.at(-1);
    const { hasNextPage } = this.page;
    return {
      hasNextPage: typeof hasNextPage === "function" ? hasNextPage() : hasNextPage,
      endCursor: last === undefined ? null : encodeCursor(this.order, last),
    };
  }
  /** A getter, so the count query runs only when a client selects totalCount. */
  get totalCount(): number | Promise<number> {
    return this.count();
  }
  get totalCountIsExact(): boolean | Promise<boolean> {
    return this.exact();
  }
}

/** Declares `<Name>Edge` and `<Name>Connection` object types for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionObject {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => [node]) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    // A promise when counted: it needs a resolver, which simple fields do not get.
    @Field(() => Int, { simple: false, description: "Rows matching the filter in the caller's scope, across all pages." })
    totalCount!: number;
    @Field(() => Boolean, {
      simple: false,
      description:
        "False when totalCount is a lower bound, not the exact number: a session or activity filter that maintained counts cannot answer (search, device, OS, session, category or action filters, a date range in a time zone other than UTC) is counted exactly only up to 1,000 rows (a search without three letters or digits in a row, which no index can narrow: up to 100), and beyond that totalCount is that bound. True otherwise.",
    })
    totalCountIsExact!: boolean;
  }
  return ConnectionObject;
}
