/**
 * PostgreSQL WAL positions (pg_lsn), as the text PostgreSQL prints them ("16/B374D848": the high
 * and low 32 bits in hex) and as bigints that compare correctly (the text does not: "9/0" sorts
 * after "10/0").
 */

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** The position in `text`, or null for anything that is not an LSN (never throws). */
export function parseLsn(text: string | null | undefined): bigint | null {
  const match = LSN.exec(text?.trim() ?? "");
  return match ? (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`) : null;
}

/** PostgreSQL's text form of `lsn`. */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
