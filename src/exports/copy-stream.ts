/**
 * The PostgreSQL CSV engine: `COPY (export query) TO STDOUT` encodes the rows itself (much
 * faster than encoding in Node: bench/RESULTS.md), and this module shapes its output into exactly
 * the bytes the json2csv engine writes: the same quoted header, text cells quoted (FORCE_QUOTE),
 * integers bare, NULL empty, and CRLF between records with none after the last (formulas are
 * neutralised by the export query itself, for both engines). Node only moves buffers, so memory
 * stays flat.
 */
import { createHash } from "node:crypto";
import { Transform, type Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { scavengeEvery } from "../shared/scavenger";
import { UTF8_BOM, type CsvResult } from "./csv-stream";

const QUOTE = 0x22;
/** Dead buffers otherwise pile up between V8's own scavenges (shared/scavenger.ts). */
const SCAVENGE_EVERY_BYTES = 2 * 1024 * 1024;
const NEWLINE = 0x0a;

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
  /** Start the file with a UTF-8 byte-order mark, as writeCsv does. Default false. */
  bom?: boolean;
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

/** Writes the json2csv-identical file to `out` from `copy`, the output of a COPY … TO STDOUT in CSV. */
export async function writeCsvByCopy(copy: Readable, out: Writable, options: CopyCsvOptions): Promise<CsvResult> {
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
  measure.write(options.bom ? Buffer.concat([UTF8_BOM, header]) : header);
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
