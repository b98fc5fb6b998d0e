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
  return new Date(utc - (sign === 43 ? 1 : -1) * offsetSeconds * 1000);
}

pg.types.setTypeParser(TIMESTAMPTZ, parseTimestamptz);
