import { GraphQLError, GraphQLScalarType, type ValueNode } from "graphql";
import { DateTimeResolver, LocalDateResolver } from "graphql-scalars";
import { isoString } from "./timestamptz";

const dateTime = DateTimeResolver.toConfig();

/**
 * ISO 8601 date-time in UTC (`2026-11-01T09:30:00.000Z`); JS Date values map to it. Parsing is
 * graphql-scalars'; a valid Date serializes straight to its ISO string (graphql-scalars hands
 * back the Date itself, leaving JSON.stringify to call toJSON on each: a large share of a page's time).
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...dateTime,
  serialize(value: unknown) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return isoString(value);
    const serialized = dateTime.serialize!(value);
    return serialized instanceof Date ? serialized.toISOString() : serialized;
  },
});

const local = LocalDateResolver.toConfig();

/** Years PostgreSQL's date type and ISO 8601 agree on; year 0000 would be a database error. */
function inRange(value: unknown): string {
  if (typeof value === "string" && (value < "0001-01-01" || value > "9999-12-31")) {
    throw new GraphQLError(`Date must be between 0001-01-01 and 9999-12-31, got ${value.slice(0, 20)}.`);
  }
  return value as string;
}

/** A calendar date, `YYYY-MM-DD`, kept as a string so time zones are applied explicitly in SQL. */
export const DateScalar = new GraphQLScalarType({
  ...local,
  name: "Date",
  description: "A calendar date, YYYY-MM-DD.",
  parseValue: (value: unknown) => inRange(local.parseValue!(value)),
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) => inRange(local.parseLiteral!(ast, variables)),
});
