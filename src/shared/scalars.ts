import { GraphQLScalarType } from "graphql";
import { DateTimeResolver, LocalDateResolver } from "graphql-scalars";

/** ISO 8601 date-time in UTC (`2026-11-01T09:30:00.000Z`); JS Date values map to it. */
export const DateTimeScalar = DateTimeResolver;

/** A calendar date, `YYYY-MM-DD`, kept as a string so time zones are applied explicitly in SQL. */
export const DateScalar = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  name: "Date",
  description: "A calendar date, YYYY-MM-DD.",
});
