/**
 * The COPY engine's memory stays flat: the buffers a large export streams through are freed as
 * it goes (src/shared/scavenger.ts), instead of piling up outside the JS heap until V8's next
 * own collection. Measured on real COPY output from PostgreSQL, in this process.
 */
import { Writable } from "node:stream";
import { CopyRecords } from "../../src/access/copy-records";
import { CSV_LINE_BREAK, writeCsvByCopy } from "../../src/exports/copy-stream";
import { useDatabaseClient } from "../support/database";

const ROWS = 300_000;
const MB = 1024 * 1024;
const database = useDatabaseClient();

it("streams 40 MB of CSV holding under 12 MB of buffers at any time", async () => {
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  let written = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      done();
    },
  });
  const sql = `COPY (SELECT g, repeat(md5(g::text), 4) AS label FROM generate_series(1, ${ROWS}) g) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE (label))`;
  const result = await writeCsvByCopy(database().query(new CopyRecords(sql, CSV_LINE_BREAK)), sink, { headers: ["g", "label"] });
  expect(result.rows).toBe(ROWS);
  expect(written).toBe(result.bytes);
  expect(written).toBeGreaterThan(40e6);
  expect((peak - before) / MB).toBeLessThan(12);
});
