/**
 * The PostgreSQL CSV engine: `COPY (export query) TO STDOUT` encodes the rows itself (much
 * faster than encoding in Node: bench/RESULTS.md), laid out as exactly the bytes the json2csv
 * engine writes: the same quoted header (written here), text cells quoted (FORCE_QUOTE), integers
 * bare, NULL empty, and CRLF between records with none after the last (the connection's reader
 * puts it there, access/copy-records.ts). Formulas are neutralised here, on COPY's output, with
 * the rule the json2csv engine gets from the query (sg_neutralize_formula). Node only moves and
 * scans buffers, so memory stays flat.
 */
import { createHash } from "node:crypto";
import { Transform, type Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { scavengeEvery } from "../shared/scavenger";
import { UTF8_BOM, type CsvResult } from "./csv-stream";

/** Dead buffers otherwise pile up between V8's own scavenges (shared/scavenger.ts). */
const SCAVENGE_EVERY_BYTES = 2 * 1024 * 1024;
/** json2csv's layout: CRLF before each record (the header came first), none after the last. */
export const CSV_LINE_BREAK = Buffer.from("\r\n");

const QUOTE = 0x22;
const COMMA = 0x2c;
const APOSTROPHE = Buffer.from("'");
/** Bytes that make a cell a formula when they start it (sg_neutralize_formula's list): = + - @ tab CR. */
const FORMULA_START = new Uint8Array(256);
for (const byte of [0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]) FORMULA_START[byte] = 1;

/**
 * sg_neutralize_formula on COPY's output instead of in the query: an apostrophe before each
 * text cell that starts with a formula character. PostgreSQL then runs the plain query, the
 * slower stage of the two (bench/RESULTS.md), and Node, on the other core, pays one pass over the
 * bytes. With FORCE_QUOTE on every text column, a text cell is exactly a quoted cell (NULL
 * and integers are bare), so outside quotes every quote opens a cell, and the byte after it is
 * the cell's first. Inside, a quote either doubles the next one (an escaped quote) or closes the
 * cell. The scan goes from cell to cell: one search for each quoted cell's closing quote
 * (memchr is cheaper than a JS loop over every byte), and a quoted cell right after it (`","`)
 * is read where it stands, without a search of its own.
 * The input is records each after a line break, as from csvRecords.
 */
function neutralizeFormulas(): Transform {
  let inQuotes = false;
  /** The last chunk ended with the quote that opened a cell: this chunk's first byte is the cell's first. */
  let openedAtEnd = false;
  /** The last chunk ended, inside a cell, with a quote: the closing one, or the first of an escaped pair. */
  let quoteAtEnd = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const n = chunk.length;
      if (n === 0) return done(null, chunk);
      let at: number[] | null = null;
      let pos = 0;
      if (openedAtEnd) {
        if (FORMULA_START[chunk[0]] === 1) at = [0];
        openedAtEnd = false;
      } else if (quoteAtEnd) {
        quoteAtEnd = false;
        if (chunk[0] === QUOTE) pos = 1; // the second of an escaped pair: still inside
        else inQuotes = false; // it closed the cell
      }
      /** A cell opened by the quote before `pos`. */
      const opened = () => {
        inQuotes = true;
        if (pos === n) openedAtEnd = true;
        else if (FORMULA_START[chunk[pos]] === 1) (at ??= []).push(pos);
      };
      while (pos < n) {
        const q = chunk.indexOf(QUOTE, pos);
        if (q === -1) break;
        pos = q + 1;
        if (!inQuotes) {
          opened();
          continue;
        }
        if (pos === n) {
          quoteAtEnd = true;
          break;
        }
        if (chunk[pos] === QUOTE) {
          pos++;
          continue;
        }
        inQuotes = false;
        if (chunk[pos] === COMMA && pos + 1 < n && chunk[pos + 1] === QUOTE) {
          pos += 2;
          opened();
        }
      }
      if (!at) return done(null, chunk);
      let from = 0;
      for (const i of at) {
        this.push(chunk.subarray(from, i));
        this.push(APOSTROPHE);
        from = i;
      }
      done(null, chunk.subarray(from));
    },
  });
}

export interface CopyCsvOptions {
  headers: readonly string[];
  /**
   * Neutralise formulas here (sg_neutralize_formula's rule, same bytes), for a COPY of the
   * query built without it, with every text column in FORCE_QUOTE. Default false.
   */
  neutralizeFormulas?: boolean;
  /** Start the file with a UTF-8 byte-order mark, as writeCsv does. Default false. */
  bom?: boolean;
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

/**
 * Writes the json2csv-identical file to `out` from `records`, the output of a COPY … TO STDOUT
 * in CSV with CSV_LINE_BREAK before each record (StatementStreams.csvRecords).
 */
export async function writeCsvByCopy(records: Readable & { readonly records: number }, out: Writable, options: CopyCsvOptions): Promise<CsvResult> {
  const every = options.progressEvery ?? 5_000;
  let reported = 0;
  let bytes = 0;
  const hash = createHash("sha256");
  const header = Buffer.from(options.headers.map((h) => `"${h.replace(/"/g, '""')}"`).join(","), "utf8");
  const moved = scavengeEvery(SCAVENGE_EVERY_BYTES);
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      moved(chunk.length);
      hash.update(chunk);
      if (options.onProgress && records.records - reported >= every) options.onProgress((reported = records.records));
      done(null, chunk);
    },
  });
  measure.write(options.bom ? Buffer.concat([UTF8_BOM, header]) : header);
  if (options.neutralizeFormulas) await pipeline(records, neutralizeFormulas(), measure, out);
  else await pipeline(records, measure, out);
  return { rows: records.records, bytes, sha256: hash.digest("hex") };
}
