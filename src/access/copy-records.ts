/**
 * `COPY … TO STDOUT` read straight off the connection, one record per CopyData message, with
 * the records laid out as the caller wants them: `lineBreak` before each record instead of
 * COPY's "\n" after it. The protocol guarantees the framing: "Messages sent from the backend will
 * always correspond to single data rows" (PostgreSQL docs, Message Formats, CopyData), so record
 * ends come from the message lengths, and no byte of a record is looked at (a quoted cell's own
 * line breaks are left alone). The bodies are gathered into chunks of `chunkBytes`: the socket
 * delivers about 8 KB per read, and every chunk costs the stages after it (a file write
 * dispatched to libuv's pool, a hash update) more than the memcpy that gathers them.
 *
 * Modelled on pg-copy-streams' `to` (7.0.0), which takes the connection's socket over the same
 * way for the length of the COPY and hands it back to pg for what follows.
 */
import { Readable } from "node:stream";
import type { Connection, Submittable } from "pg";

const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
const ERROR_RESPONSE = 0x45; // E
/** Skipped: CopyOutResponse, and what may arrive between CopyData messages (NotificationResponse, NoticeResponse, ParameterStatus). */
const SKIPPED = new Set([0x48, 0x41, 0x4e, 0x53]);
const NEWLINE = 0x0a;
const HEADER = 5; // code byte + int32 length

type DataHandler = (chunk: Buffer) => void;

export class CopyRecords extends Readable implements Submittable {
  /** Records read so far. */
  records = 0;
  private connection: Connection | null = null;
  private pgDataHandler: DataHandler | null = null;
  private readonly onReadable = () => this.forward();
  private wanted = false;
  private forwarding = false;
  private finished = false;
  /** The message being read: its code and the body bytes still to come (-1: reading a header). */
  private code = 0;
  private remaining = -1;
  /** A header split across socket chunks. */
  private readonly header = Buffer.alloc(HEADER);
  private headerBytes = 0;
  /** The output chunk being filled. */
  private out: Buffer;
  private used = 0;

  /** `chunkBytes`: the size of the chunks handed on (the socket's reads are about 8 KB each). */
  constructor(
    private readonly text: string,
    private readonly lineBreak: Buffer,
    private readonly chunkBytes = 256 * 1024,
  ) {
    super({ highWaterMark: chunkBytes });
    if (lineBreak.length > chunkBytes) throw new Error("lineBreak longer than a chunk");
    this.out = Buffer.allocUnsafe(chunkBytes);
  }

  /** pg's Submittable: called when the query gets the connection. */
  submit(connection: Connection): void {
    this.connection = connection;
    const stream = connection.stream;
    const listeners = stream.listeners("data");
    if (listeners.length !== 1) throw new Error("expected pg's one data listener on the connection");
    this.pgDataHandler = listeners[0] as DataHandler;
    stream.removeListener("data", this.pgDataHandler);
    stream.pause();
    stream.on("readable", this.onReadable);
    connection.query(this.text);
  }

  /** pg's Submittable: the error PostgreSQL sent (handed to pg on ErrorResponse) or the connection's. */
  handleError(error: Error): void {
    this.destroy(error);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {}

  override _read(): void {
    this.wanted = true;
    this.forward();
  }

  private forward(): void {
    if (this.forwarding || !this.wanted || !this.connection || this.finished || this.destroyed) return;
    this.forwarding = true;
    try {
      let chunk: Buffer | null;
      while (this.wanted && !this.finished && !this.destroyed && (chunk = this.connection.stream.read() as Buffer | null) !== null) this.wanted = this.parse(chunk);
    } catch (error) {
      this.destroy(error as Error);
    } finally {
      this.forwarding = false;
    }
  }

  /**
   * Reads the messages in `chunk`, copying each record's body (without its "\n"), after the
   * line break, into the output chunk. Returns whether more is wanted.
   */
  private parse(chunk: Buffer): boolean {
    let wanted = true;
    let read = 0;
    while (read < chunk.length) {
      if (this.remaining === -1) {
        // A header: the code byte first, then the length (which counts itself).
        if (this.headerBytes === 0) {
          this.code = chunk[read];
          if (this.code === ERROR_RESPONSE) return this.handBack(chunk, read);
          if (read + HEADER <= chunk.length) {
            this.remaining = chunk.readUInt32BE(read + 1) - 4;
            read += HEADER;
          }
        }
        if (this.remaining === -1) {
          const n = Math.min(HEADER - this.headerBytes, chunk.length - read);
          chunk.copy(this.header, this.headerBytes, read, read + n);
          this.headerBytes += n;
          read += n;
          if (this.headerBytes < HEADER) break;
          this.headerBytes = 0;
          this.remaining = this.header.readUInt32BE(1) - 4;
        }
        if (this.code === COPY_DATA) {
          if (this.remaining === 0) throw new Error("COPY sent an empty CopyData message");
          if (this.out.length - this.used < this.lineBreak.length) wanted = this.pushOut();
          this.used += this.lineBreak.copy(this.out, this.used);
        } else if (this.code === COPY_DONE) {
          return this.handBack(chunk, read);
        } else if (!SKIPPED.has(this.code)) {
          throw new Error(`unexpected message ${String.fromCharCode(this.code)} during COPY`);
        }
      }
      const n = Math.min(this.remaining, chunk.length - read);
      this.remaining -= n;
      if (this.code === COPY_DATA) {
        let body = this.remaining === 0 ? n - 1 : n; // the record's "\n" is not copied
        for (let from = read; body > 0; ) {
          if (this.used === this.out.length) wanted = this.pushOut();
          const copied = chunk.copy(this.out, this.used, from, from + Math.min(body, this.out.length - this.used));
          this.used += copied;
          from += copied;
          body -= copied;
        }
        if (this.remaining === 0) {
          if (chunk[read + n - 1] !== NEWLINE) throw new Error("a COPY record did not end with a line feed");
          this.records++;
        }
      }
      read += n;
      if (this.remaining === 0) this.remaining = -1;
    }
    return wanted;
  }

  /** Hands on the output chunk (full, or the last) and starts another. */
  private pushOut(): boolean {
    const full = this.out.subarray(0, this.used);
    this.out = Buffer.allocUnsafe(this.chunkBytes);
    this.used = 0;
    return this.push(full);
  }

  /**
   * Copy-out mode ended at `chunk[at]` (CopyDone read, or an ErrorResponse not yet read): the
   * output so far goes out, and the connection, with the rest of `chunk`, goes back to pg, which
   * reads CommandComplete or the error and finishes the query.
   */
  private handBack(chunk: Buffer, at: number): boolean {
    if (this.used > 0) this.push(this.out.subarray(0, this.used));
    this.finished = true;
    const error = chunk[at] === ERROR_RESPONSE;
    const stream = this.connection!.stream;
    const pgDataHandler = this.pgDataHandler!;
    stream.removeListener("readable", this.onReadable);
    stream.on("data", pgDataHandler);
    // pg finishes the query from here (on an error, through handleError).
    pgDataHandler(chunk.subarray(at));
    // Like pg-copy-streams: pg's handler may pause the stream, so resume once it has returned.
    process.nextTick(() => stream.resume());
    if (!error) this.push(null);
    return false;
  }
}
