import pg from "pg";

const TIMESTAMPTZ = 1184;
/** pg's own parser (postgres-date), kept for what the fast path does not handle. */
export const defaultTimestamptzParser = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (value: string) => Date;
/** pg's parser knows only the row form: JSON's "T" becomes a space first. */
const fallback = (s: string) => defaultTimestamptzParser(s.charCodeAt(10) === 84 ? `${s.slice(0, 10)} ${s.slice(11)}` : s);

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/**
 * timestamptz text ("2026-06-01 12:00:00.123+00", "…+05:30", or JSON's "2026-06-01T12:00:00.123+00:00") to a Date without regular
 * expressions: pg's default parser showed up at about 6% of CPU on list pages, each row carrying
 * several timestamps. Anything unusual (BC, infinity, 5-digit years) goes to pg's own parser.
 */
export function parseTimestamptz(s: string): Date {
  // Row text has a space before the time; JSON (folded reads) a "T".
  const separator = s.charCodeAt(10);
  if (s.length < 22 || s.charCodeAt(4) !== 45 || (separator !== 32 && separator !== 84) || s.charCodeAt(19) === 32) return fallback(s);
  const year = two(s, 0) * 100 + two(s, 2);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    // Fraction: keep milliseconds (truncated, as pg's parser does).
    let scale = 100;
    for (i++; i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
      ms += digit(s, i) * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  const sign = s.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return fallback(s);
  let offsetSeconds = two(s, i + 1) * 3600;
  let end = i + 3;
  if (s.charCodeAt(end) === 58) {
    offsetSeconds += two(s, end + 1) * 60;
    end += 3;
    if (s.charCodeAt(end) === 58) {
      offsetSeconds += two(s, end + 1);
      end += 3;
    }
  }
  // Date.UTC reads years below 100 as 19xx; those and any suffix (" BC") go to pg's parser.
  if (end !== s.length || year < 100 || Number.isNaN(offsetSeconds + year)) return fallback(s);
  const utc = Date.UTC(year, two(s, 5) - 1, two(s, 8), two(s, 11), two(s, 14), two(s, 17), ms);
  if (offsetSeconds === 0) return new TextDate(utc, s, i);
  return new Date(utc - (sign === 43 ? 1 : -1) * offsetSeconds * 1000);
}

/**
 * A Date read from PostgreSQL's text at UTC, which keeps that text: its ISO 8601 form (what the
 * DateTime scalar sends) is then a slice of it. `toISOString()` cost ~1 µs per call here, and a
 * page of 200 sessions has 200 of them.
 */
class TextDate extends Date {
  constructor(
    private readonly time: number,
    private readonly text: string,
    /** Where the offset begins: the fraction, if any, ends there. */
    private readonly offsetAt: number,
  ) {
    super(time);
  }

  /** The same string as toISOString(): milliseconds truncated, as parsed. */
  iso(): string {
    // Changed since it was read (setTime and the like): the text no longer describes it.
    if (this.getTime() !== this.time) return this.toISOString();
    const s = this.text;
    const json = s.charCodeAt(10) === 84;
    if (this.offsetAt >= 23) return json ? `${s.slice(0, 23)}Z` : `${s.slice(0, 10)}T${s.slice(11, 23)}Z`;
    const fraction = this.offsetAt > 20 ? `${s.slice(20, this.offsetAt)}00`.slice(0, 3) : "000";
    return `${s.slice(0, 10)}T${s.slice(11, 19)}.${fraction}Z`;
  }
}

/** ISO 8601 in UTC with milliseconds (`toISOString()`), cheaply for dates read from PostgreSQL. */
export function isoString(date: Date): string {
  return date instanceof TextDate ? date.iso() : date.toISOString();
}

pg.types.setTypeParser(TIMESTAMPTZ, parseTimestamptz);
