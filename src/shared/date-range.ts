import { Field, InputType } from "type-graphql";
import { BadUserInputError } from "./errors";
import { DateScalar } from "./scalars";
import type { SqlParams } from "./sql";

@InputType({ description: "Whole days, both ends included." })
export class DateRangeInput {
  @Field(() => DateScalar, { nullable: true, description: "First day included." })
  from?: string;

  @Field(() => DateScalar, { nullable: true, description: "Last day included." })
  to?: string;
}

const zones = new Set(Intl.supportedValuesOf("timeZone"));

/** Validates an IANA time zone name; UTC when absent. */
export function checkTimeZone(timeZone: string | null | undefined): string {
  if (timeZone == null || timeZone === "UTC") return "UTC";
  if (!zones.has(timeZone)) throw new BadUserInputError(`Unknown time zone "${timeZone.slice(0, 64)}"; use an IANA name such as Europe/Paris.`, { argument: "timeZone" });
  return timeZone;
}

/**
 * SQL bounds for `column` within the inclusive day range in `timeZone`: [from 00:00, to+1 00:00),
 * so the comparison stays sargable on the timestamp index.
 */
export function dateRangeCondition(column: string, range: DateRangeInput | null | undefined, timeZone: string | null | undefined, params: SqlParams): string | null {
  if (!range || (!range.from && !range.to)) return null;
  if (range.from && range.to && range.from > range.to) {
    throw new BadUserInputError("dateRange.from must not be after dateRange.to.", { argument: "dateRange" });
  }
  const zone = checkTimeZone(timeZone);
  const z = params.add(zone);
  const parts: string[] = [];
  if (range.from) parts.push(`${column} >= (${params.add(range.from)}::date)::timestamp AT TIME ZONE ${z}`);
  if (range.to) parts.push(`${column} < (${params.add(range.to)}::date + 1)::timestamp AT TIME ZONE ${z}`);
  return parts.join(" AND ");
}
