/**
 * Rows → CSV → storage, streaming: rows arrive from a database cursor in object mode, go
 * through json2csv's Transform (RFC 4180 quoting: every text cell quoted, quotes doubled, line
 * breaks kept inside quotes; CRLF between records; UTF-8) and are hashed and counted on their
 * way to the writer. Backpressure holds the cursor, so memory does not grow with the row count.
 * Formulas are neutralised by the export query (sg_neutralize_formula), not here.
 */
import { createHash } from "node:crypto";
import { Transform, type Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Transform as CsvTransform } from "@json2csv/node";
import { number as numberFormatter, string as stringFormatter } from "@json2csv/formatters";

export interface CsvOptions {
  /** Row keys in column order, and their headers. */
  keys: readonly string[];
  headers: readonly string[];
  /** Called with the rows written so far, at most every `progressEvery` rows. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Start the file with a UTF-8 byte-order mark (counted and hashed like the rest). Default false. */
  bom?: boolean;
}

/** The UTF-8 byte-order mark: Excel reads a CSV as UTF-8 only when it starts with one. */
export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface CsvResult {
  rows: number;
  bytes: number;
  sha256: string;
}

export async function writeCsv(rows: Readable, out: Writable, options: CsvOptions): Promise<CsvResult> {
  const quote = stringFormatter();
  const every = options.progressEvery ?? 5_000;
  let count = 0;
  let bytes = 0;
  const hash = createHash("sha256");

  const counter = new Transform({
    objectMode: true,
    transform(row, _encoding, done) {
      count++;
      if (options.onProgress && count % every === 0) options.onProgress(count);
      done(null, row);
    },
  });
  const csv = new CsvTransform(
    {
      fields: options.keys.map((key, i) => ({ label: options.headers[i], value: key })),
      eol: "\r\n",
      // A row whose cells are all empty is still a row of the list.
      includeEmptyRows: true,
      formatters: {
        string: quote,
        number: numberFormatter(),
      },
    },
    {},
    { objectMode: true },
  );
  const measure = new Transform({
    writableObjectMode: true,
    transform(chunk: string | Buffer, _encoding, done) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      bytes += buffer.length;
      hash.update(buffer);
      done(null, buffer);
    },
  });
  if (options.bom) measure.write(UTF8_BOM);
  await pipeline(rows, counter, csv, measure, out);
  return { rows: count, bytes, sha256: hash.digest("hex") };
}
