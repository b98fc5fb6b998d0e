/**
 * SQL building blocks of the large-data generator: literals and constant arrays inlined into
 * the statements, and the deterministic hashes, picks and ids every generated value comes from.
 */

/** Every generated time lies in the 365 days before this instant. */
export const GENERATED_ANCHOR = "2026-11-01T00:00:00.000Z";

export const lit = (s: string | null) => (s === null ? "NULL" : `'${s.replace(/'/g, "''")}'`);
/** `('A', 'B')`, for `x IN (...)`. */
export const inList = (xs: readonly string[]) => `(${xs.map(lit).join(", ")})`;
export const textArray = (xs: readonly (string | null)[]) => `(ARRAY[${xs.map(lit).join(",")}]::text[])`;
export const intArray = (xs: readonly number[]) => `('{${xs.join(",")}}'::int[])`;
export const boolArray = (xs: readonly boolean[]) => `('{${xs.map((b) => (b ? "t" : "f")).join(",")}}'::bool[])`;
/** `array[1 + index]` for a 0-based index expression. */
export const at = (array: string, index: string) => `${array}[1 + (${index})]`;
export const secondsToInterval = (seconds: string) => `((${seconds}) * interval '1 second')`;

/** A list of variable-length lists as one flat array plus offsets and lengths. */
export function flatten(lists: string[][]): { all: string; offset: string; count: string } {
  const offsets: number[] = [];
  let n = 0;
  for (const list of lists) {
    offsets.push(n);
    n += list.length;
  }
  return { all: textArray(lists.flat()), offset: intArray(offsets), count: intArray(lists.map((l) => l.length)) };
}

/** Purposes of the hash bits; each gets its own salt so values are independent. */
export const SALT = {
  companyName: 1, companySignup: 2, userName: 3, userCompany: 4, userWeight: 5, userMisc: 6, userMisc2: 7,
  userSeen: 8, launch: 9, status: 10, session: 11, session2: 12, session3: 13, device: 14, activityWeight: 15,
  activity: 16, activity2: 17, attachment: 18, userCreated: 19,
} as const;

export class Sql {
  readonly anchor = `'${GENERATED_ANCHOR}'::timestamptz`;
  constructor(readonly seed: number) {}

  /** A deterministic signed 64-bit hash of an integer expression. */
  hash(expr: string, salt: number): string {
    return `hashint8extended((${expr})::bigint, ${this.seed * 1000 + salt})`;
  }
  /** A uniform integer in [0, n) from 31 bits of `hash`, shifted right by `shift` bits. */
  pick(hash: string, n: number | string, shift = 0): string {
    return `((((${hash}) >> ${shift}) & 2147483647) % (${n}))`;
  }
  /** A uniform float in [0, 1) from 20 bits of `hash`, shifted right by `shift` bits. */
  frac(hash: string, shift = 0): string {
    return `((((${hash}) >> ${shift}) & 1048575)::float8 / 1048576.0)`;
  }
  /**
   * A stable, time-ordered id (UUID version 7 layout, RFC 9562): 48 bits of the row's time in
   * milliseconds, then bits of md5(seed:kind:index). Rows inserted in time order then land at
   * the right edge of their primary key index instead of on a random page.
   */
  uuid7(time: string, kind: string, index: string): string {
    // Hex digits 1-12 the time, 13 the version, 17 the variant, the rest md5's: the same text as
    // overlaying md5's digits three times, built with fewer copies (one id per activity).
    return `(lpad(to_hex((extract(epoch FROM ${time}) * 1000)::bigint), 12, '0') || '7'
      || overlay(substr(md5('${this.seed}:${kind}:' || (${index})), 14) placing '8' from 4))::uuid`;
  }
  /** A stable id of kind and index, formatted as a version-4 UUID. */
  uuid(kind: string, index: string): string {
    return `overlay(overlay(md5('${this.seed}:${kind}:' || (${index})) placing '4' from 13) placing '8' from 17)::uuid`;
  }
}
