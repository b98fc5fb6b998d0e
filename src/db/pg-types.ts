import pg from "pg";
import { fastTimestamptz } from "../shared/timestamptz";

const TIMESTAMPTZ = 1184;
/** pg's own parser (postgres-date), kept for what the fast path does not handle. */
export const defaultTimestamptzParser = pg.types.getTypeParser(TIMESTAMPTZ, "text") as (value: string) => Date;
/** pg's parser knows only the row form: JSON's "T" becomes a space first. */
const fallback = (s: string) => defaultTimestamptzParser(s.charCodeAt(10) === 84 ? `${s.slice(0, 10)} ${s.slice(11)}` : s);

/** timestamptz text (row or JSON form) to a Date: the fast path, or pg's own parser for the unusual. */
export function parseTimestamptz(s: string): Date {
  return fastTimestamptz(s) ?? fallback(s);
}

pg.types.setTypeParser(TIMESTAMPTZ, parseTimestamptz);
