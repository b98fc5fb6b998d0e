import { ArgsType, Field, InputType, Int, registerEnumType } from "type-graphql";
import { Max, MaxLength, Min, ValidateNested } from "class-validator";
import { DateRangeInput, checkTimeZone } from "../shared/date-range";
import { BadUserInputError } from "../shared/errors";

export enum PeriodPreset {
  LAST_7_DAYS = "LAST_7_DAYS",
  LAST_30_DAYS = "LAST_30_DAYS",
  LAST_90_DAYS = "LAST_90_DAYS",
  ALL_TIME = "ALL_TIME",
}
registerEnumType(PeriodPreset, {
  name: "PeriodPreset",
  description: "A profile period relative to today: the last N whole days ending today (included), or all time.",
});

const PRESET_DAYS: Record<Exclude<PeriodPreset, PeriodPreset.ALL_TIME>, number> = {
  [PeriodPreset.LAST_7_DAYS]: 7,
  [PeriodPreset.LAST_30_DAYS]: 30,
  [PeriodPreset.LAST_90_DAYS]: 90,
};

@InputType({ description: "A preset or a custom range (not both); neither means LAST_30_DAYS." })
export class ProfilePeriod {
  @Field(() => PeriodPreset, { nullable: true })
  preset?: PeriodPreset;

  @Field(() => DateRangeInput, { nullable: true, description: "Whole days, both ends included; an open end is unbounded." })
  @ValidateNested()
  range?: DateRangeInput;

  @Field(() => String, { nullable: true, description: "IANA time zone the days are read in (\"today\" for presets); UTC by default." })
  @MaxLength(64)
  timeZone?: string;
}

export const DEFAULT_TOP_SIZE = 10;
export const MAX_TOP_SIZE = 100;

@ArgsType()
export class TopListArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_TOP_SIZE, description: `How many entries, 0 to ${MAX_TOP_SIZE}.` })
  @Min(0, { message: "first must not be negative" })
  @Max(MAX_TOP_SIZE, { message: `first must not be greater than ${MAX_TOP_SIZE}` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Case-insensitive text the entry must contain; % and _ match literally." })
  @MaxLength(200)
  search?: string;
}

/**
 * A period with its bounds decided: inclusive days `from`..`to` in `timeZone`, either end null
 * when unbounded (ALL_TIME, an open range). Loaders key on it, so it is plain data.
 */
export interface ResolvedPeriod {
  preset: PeriodPreset | null;
  from: string | null;
  to: string | null;
  timeZone: string;
}

/** `YYYY-MM-DD` of `now` in `timeZone`. */
export function localDate(now: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** `date` (YYYY-MM-DD) moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Decides the bounds of a requested period. "Last N days" are the N whole days ending today
 * (included) in the period's time zone. Throws BAD_USER_INPUT for a preset together with a
 * range, an empty or reversed range, or an unknown time zone.
 */
export function resolvePeriod(period: ProfilePeriod | null | undefined, now: Date = new Date()): ResolvedPeriod {
  const timeZone = checkTimeZone(period?.timeZone);
  const range = period?.range;
  if (period?.preset && range) {
    throw new BadUserInputError("Give either period.preset or period.range, not both.", { argument: "period" });
  }
  if (range) {
    if (!range.from && !range.to) throw new BadUserInputError("period.range needs from, to or both.", { argument: "period.range" });
    if (range.from && range.to && range.from > range.to) {
      throw new BadUserInputError("period.range.from must not be after period.range.to.", { argument: "period.range" });
    }
    return { preset: null, from: range.from ?? null, to: range.to ?? null, timeZone };
  }
  const preset = period?.preset ?? PeriodPreset.LAST_30_DAYS;
  if (preset === PeriodPreset.ALL_TIME) return { preset, from: null, to: null, timeZone };
  const today = localDate(now, timeZone);
  return { preset, from: addDays(today, 1 - PRESET_DAYS[preset]), to: today, timeZone };
}
