/** Reading PostgreSQL's timestamptz text fast, and writing it back as ISO 8601 without formatting. */
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/**
 * timestamptz text ("2026-06-01 12:00:00.123+00", "…+05:30", or JSON's "2026-06-01T12:00:00.123+00:00") to a Date without regular
 * expressions: pg's default parser was a visible share of CPU on list pages, each row carrying
 * several timestamps. Null for anything unusual (BC, infinity, 5-digit years): pg's own parser
 * decides those (src/db/pg-types.ts).
 */
export function fastTimestamptz(s: string): Date | null {
  // Row text has a space before the time; JSON (folded reads) a "T".
  const separator = s.charCodeAt(10);
  if (s.length < 22 || s.charCodeAt(4) !== 45 || (separator !== 32 && separator !== 84) || s.charCodeAt(19) === 32) return null;
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
  if (sign !== 43 && sign !== 45) return null;
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
  if (end !== s.length || year < 100 || Number.isNaN(offsetSeconds + year)) return null;
  const utc = Date.UTC(year, two(s, 5) - 1, two(s, 8), two(s, 11), two(s, 14), two(s, 17), ms);
  if (offsetSeconds === 0) return new TextDate(utc, s, i);
  return new Date(utc - (sign === 43 ? 1 : -1) * offsetSeconds * 1000);
}

/**
 * A Date read from PostgreSQL's text at UTC, which keeps that text: its ISO 8601 form (what the
 * DateTime scalar sends) is then a slice of it, cheaper than `toISOString()` on a page with a
 * date per row.
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
