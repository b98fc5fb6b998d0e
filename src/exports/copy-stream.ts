/**
 * The PostgreSQL CSV engine: `COPY (export query) TO STDOUT` encodes the rows itself (much
 * faster than encoding in Node: bench/RESULTS.md), laid out as exactly the bytes the json2csv
 * engine writes: the same quoted header (written here), text cells quoted (FORCE_QUOTE), integers
 * bare, NULL empty, and CRLF between records with none after the last (the connection's reader
 * puts it there, access/copy-records.ts; formulas are neutralised by the export query itself,
 * for both engines). Node only moves buffers, so memory stays flat.
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

export interface CopyCsvOptions {
  headers: readonly string[];
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
  await pipeline(records, measure, out);
  return { rows: records.records, bytes, sha256: hash.digest("hex") };
}
