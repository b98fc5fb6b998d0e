/**
 * CopyRecords reads `COPY … TO STDOUT` straight off a real connection: each CopyData message is
 * one record, given the caller's line break before it. Checked against pg-copy-streams' raw COPY
 * output of the same statement (records that span many socket reads, cells with line breaks),
 * with NOTICEs arriving between rows, and with an error part-way, after which the connection
 * still answers.
 */
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { to as copyTo } from "pg-copy-streams";
import { CopyRecords } from "../../src/access/copy-records";
import { useDatabaseClient } from "../support/database";

const database = useDatabaseClient();

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(stream, new Writable({ write(chunk: Buffer, _encoding, done) { parts.push(chunk); done(); } }));
  return Buffer.concat(parts);
}

/** COPY's own "\n"-ended records, laid out as CopyRecords promises: `lineBreak` before each. */
const relaid = (raw: string, lineBreak: string) => raw.replace(/\n$/, "").split("\n").map((r) => lineBreak + r).join("");

it("gives each record the line break before it, whatever the socket's chunks", async () => {
  // Rows of 1 byte to 100 KB (longer than a socket read), with quoted line breaks and quotes.
  const sql = `COPY (SELECT g, repeat(E'a"\\nb,', (g * 7919) % 20000) AS cell FROM generate_series(1, 400) g) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE (cell))`;
  const raw = (await collect(database().query(copyTo(sql)))).toString("utf8");
  const records = database().query(new CopyRecords(sql, Buffer.from("\r\n")));
  const out = (await collect(records)).toString("utf8");
  expect(records.records).toBe(400);
  // The quoted "\n"s are not record ends, so compare record by record through the row numbers.
  const expected = raw.split(/\n(?=\d+,")/).map((r) => `\r\n${r.replace(/\n$/, "")}`).join("");
  expect(out).toBe(expected);
});

it("puts the line break right where a message header was split between socket reads", async () => {
  // A million records of a few bytes: about 200 socket reads, and so many reads that start within a header.
  const sql = `COPY (SELECT g FROM generate_series(1, 1000000) g) TO STDOUT WITH (FORMAT csv)`;
  const records = database().query(new CopyRecords(sql, Buffer.from("\r\n")));
  const out = (await collect(records)).toString("latin1");
  expect(records.records).toBe(1_000_000);
  expect(out).toBe(Array.from({ length: 1_000_000 }, (_, i) => `\r\n${i + 1}`).join(""));
});

it("skips NOTICEs sent between rows", async () => {
  await database().query(`CREATE OR REPLACE FUNCTION pg_temp.noisy(i int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'row %', i; RETURN i; END $$`);
  const sql = `COPY (SELECT pg_temp.noisy(g) FROM generate_series(1, 1000) g) TO STDOUT WITH (FORMAT csv)`;
  const records = database().query(new CopyRecords(sql, Buffer.from(";")));
  const out = (await collect(records)).toString("utf8");
  expect(records.records).toBe(1000);
  expect(out).toBe(relaid(Array.from({ length: 1000 }, (_, i) => `${i + 1}\n`).join(""), ";"));
});

it("fails with PostgreSQL's error part-way, and the connection answers afterwards", async () => {
  const sql = `COPY (SELECT 100 / (5000 - g) FROM generate_series(1, 10000) g) TO STDOUT WITH (FORMAT csv)`;
  await expect(collect(database().query(new CopyRecords(sql, Buffer.from("\r\n"))))).rejects.toThrow(/division by zero/);
  const { rows } = await database().query(`SELECT 1 AS one`);
  expect(rows).toEqual([{ one: 1 }]);
});
