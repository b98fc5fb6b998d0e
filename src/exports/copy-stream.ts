/**
 * The PostgreSQL CSV engine: `COPY (export query) TO STDOUT` encodes the rows itself (about
 * three times the rows/s of encoding in Node), and this module shapes its output into exactly
 * the bytes the json2csv engine writes: the same quoted header, text cells quoted (FORCE_QUOTE),
 * integers bare, NULL empty, formula neutralisation by sg_neutralize_formula(), and CRLF
 * between records with none after the last. Node only moves buffers, so memory stays flat.
 */
import { createHash } from "node:crypto";
import { Transform, type Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PoolClient } from "pg";
import { to as copyTo } from "pg-copy-streams";
import { scavengeEvery } from "../shared/scavenger";
import type { ColumnDef } from "./columns";
import type { CsvResult } from "./csv-stream";

const QUOTE = 0x22;
/** Dead buffers otherwise pile up for ~30 MB between V8's own scavenges (shared/scavenger.ts). */
const SCAVENGE_EVERY_BYTES = 2 * 1024 * 1024;
const NEWLINE = 0x0a;

/** A literal for `value`, escaped by the driver (COPY takes no bind parameters). */
function literal(client: PoolClient, value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  if (Array.isArray(value)) {
    // An array literal: every element double-quoted with " and \\ escaped, then the whole escaped.
    const elements = value.map((v) => (v === null ? "NULL" : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`));
    return client.escapeLiteral(`{${elements.join(",")}}`);
  }
  return client.escapeLiteral(String(value));
}

/** The export query with its parameters inlined, each column wrapped for neutralisation if asked. */
export function copySql(client: PoolClient, query: { sql: string; params: unknown[] }, keys: readonly string[], defs: readonly ColumnDef[], neutralize: boolean): string {
  const inlined = query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(client, query.params[Number(n) - 1]));
  const cells = keys.map((key, i) => (neutralize && !defs[i].numeric ? `sg_neutralize_formula(x."${key}") AS "${key}"` : `x."${key}"`));
  const textColumns = keys.filter((_, i) => !defs[i].numeric).map((key) => `"${key}"`);
  const forceQuote = textColumns.length ? `, FORCE_QUOTE (${textColumns.join(", ")})` : "";
  // The subquery keeps its ORDER BY: a plain projection over it preserves the order.
  return `COPY (SELECT ${cells.join(", ")} FROM (${inlined}) x) TO STDOUT WITH (FORMAT csv${forceQuote})`;
}

/**
 * Turns COPY's records ("…\n" each) into json2csv's layout ("\r\n" before each record, none
 * after the last), counting records. A newline inside a quoted cell is data, not a record end;
 * quotes inside cells are doubled, so toggling on every quote tracks the state exactly.
 * COPY sends one message per row: output is gathered into chunks of about 64 KB, so the hash,
 * the file and the event loop see a few large writes instead of one per row.
 */
function recordsToCrlf(onRecord: () => void): Transform {
  const CHUNK = 64 * 1024;
  let inQuotes = false;
  let pendingEol = true; // the header came first, without a line end
  let out = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let i = 0;
      while (i < chunk.length) {
        // One input byte writes at most 3 (CRLF before it): run to where the chunk could be full.
        // Filled chunks are handed on and a new one begun, so every buffer we allocate is
        // nearly full (a reserve per input chunk would triple what is allocated and retained).
        if (out.length - used < 3) {
          this.push(out.subarray(0, used));
          out = Buffer.allocUnsafe(CHUNK);
          used = 0;
        }
        const stop = Math.min(chunk.length, i + Math.floor((out.length - used) / 3));
        for (; i < stop; i++) {
          const byte = chunk[i];
          if (byte === NEWLINE && !inQuotes) {
            // A record with no bytes (one empty cell) still gets its line.
            if (pendingEol) {
              out[used++] = 0x0d;
              out[used++] = NEWLINE;
            }
            pendingEol = true;
            onRecord();
            continue;
          }
          if (byte === QUOTE) inQuotes = !inQuotes;
          if (pendingEol) {
            out[used++] = 0x0d;
            out[used++] = NEWLINE;
            pendingEol = false;
          }
          out[used++] = byte;
        }
      }
      done();
    },
    flush(done) {
      if (used > 0) this.push(out.subarray(0, used));
      done();
    },
  });
}

export interface CopyCsvOptions {
  headers: readonly string[];
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

/** Runs `sql` (a COPY … TO STDOUT) on `client` and writes the json2csv-identical file to `out`. */
export async function writeCsvByCopy(client: PoolClient, sql: string, out: Writable, options: CopyCsvOptions): Promise<CsvResult> {
  const every = options.progressEvery ?? 5_000;
  let rows = 0;
  let bytes = 0;
  const hash = createHash("sha256");
  const header = Buffer.from(options.headers.map((h) => `"${h.replace(/"/g, '""')}"`).join(","), "utf8");
  const moved = scavengeEvery(SCAVENGE_EVERY_BYTES);
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      moved(chunk.length);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  measure.write(header);
  const copy: Readable = client.query(copyTo(sql));
  await pipeline(
    copy,
    recordsToCrlf(() => {
      rows++;
      if (options.onProgress && rows % every === 0) options.onProgress(rows);
    }),
    measure,
    out,
  );
  return { rows, bytes, sha256: hash.digest("hex") };
}
