/**
 * The COPY engine neutralises formulas on COPY's output, with sg_neutralize_formula's rule. Held
 * to the SQL function itself on real COPY output, with that output cut into chunks at every
 * position (a cell's opening quote, an escaped quote or a formula character at a chunk's edge).
 */
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CopyRecords } from "../../src/access/copy-records";
import { CSV_LINE_BREAK, writeCsvByCopy } from "../../src/exports/copy-stream";
import { TRICKY_LABELS } from "../../src/seed/demo";
import { useDatabaseClient } from "../support/database";

const database = useDatabaseClient();
const VALUES = [...TRICKY_LABELS, "", "=", "-", '"=quoted first', 'mid "=quote', 'end ""', '""', "a,=b", "\rlead", "x\n=y", "@", "+-"];

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(stream, new Writable({ write(chunk: Buffer, _encoding, done) { parts.push(chunk); done(); } }));
  return Buffer.concat(parts);
}

/** Text cells side by side and around an integer and a NULL, as an export's rows are. */
async function copyOutput(neutralizeInSql: boolean): Promise<Buffer> {
  const cell = (v: string) => (neutralizeInSql ? `sg_neutralize_formula(${v})` : v);
  const values = VALUES.map((v, i) => `(${database().escapeLiteral(v)}, ${i - 5})`).join(", ");
  // r: a quoted cell right after another (`","`), starting with each value's last character.
  const sql = `COPY (SELECT ${cell("v")} AS a, ${cell("reverse(v)")} AS r, n, ${cell("NULL::text")} AS z, ${cell("v || 'tail'")} AS b FROM (VALUES ${values}) t(v, n) ORDER BY n)
               TO STDOUT WITH (FORMAT csv, FORCE_QUOTE (a, r, z, b))`;
  return await collect(database().query(new CopyRecords(sql, CSV_LINE_BREAK)));
}

async function neutralized(chunks: Buffer[]): Promise<Buffer> {
  const records = Object.assign(Readable.from(chunks), { records: VALUES.length });
  const parts: Buffer[] = [];
  const out = new Writable({ write(chunk: Buffer, _encoding, done) { parts.push(chunk); done(); } });
  await writeCsvByCopy(records, out, { headers: ["a", "r", "n", "z", "b"], neutralizeFormulas: true });
  return Buffer.concat(parts);
}

it("writes what sg_neutralize_formula makes, however COPY's output is cut", async () => {
  const plain = await copyOutput(false);
  const expected = Buffer.concat([Buffer.from('"a","r","n","z","b"'), await copyOutput(true)]);
  expect(expected.toString()).toContain(`"'=`); // the SQL rule did neutralise something
  expect(expected.toString()).toContain(`","'-`); // and a cell right after another
  expect((await neutralized([plain])).toString()).toBe(expected.toString());
  const bytes = [...plain].map((b) => Buffer.from([b]));
  expect((await neutralized(bytes)).toString()).toBe(expected.toString());
  for (let cut = 1; cut < plain.length; cut++) {
    const got = await neutralized([plain.subarray(0, cut), plain.subarray(cut)]);
    if (!got.equals(expected)) throw new Error(`cut at ${cut}: ${JSON.stringify(got.toString())}`);
  }
});
