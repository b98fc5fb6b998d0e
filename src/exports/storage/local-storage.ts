import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { checkKey, type ObjectStorage, type ObjectWriter, type StoredObject } from "./object-storage";

/** How much a writer buffers before its writes hold the producer back (several of a COPY export's 256 KB chunks, written at once). */
const WRITE_BUFFER_BYTES = 1024 * 1024;
/** A writer flushes what it has written to disk every this many bytes, while it goes on writing. */
const SYNC_EVERY_BYTES = 8 * 1024 * 1024;

/**
 * A new file (`wx`: never one that exists), written with positional writes as they come, and
 * flushed to disk as it goes: every SYNC_EVERY_BYTES a datasync of what is written so far runs on
 * libuv's pool beside the writes, so the fsync that ends the file (in `_final`, before `finish`)
 * finds little left to flush. The writes are the same as fs.WriteStream's; the early flushes
 * take the disk time of a large file off the end of its export, where it was waited for.
 */
class PartFile extends Writable {
  private fd: number | null = null;
  private written = 0;
  private flushedTo = 0;
  private flushing: Promise<void> | null = null;
  private flushError: Error | null = null;

  constructor(private readonly file: string) {
    super({ highWaterMark: WRITE_BUFFER_BYTES });
  }

  override _construct(done: (error?: Error | null) => void): void {
    fs.open(this.file, "wx", (error, fd) => {
      if (!error) this.fd = fd;
      done(error);
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.writeAll([chunk], done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    this.writeAll(chunks.map((c) => c.chunk), done);
  }

  /** Writes every byte of `buffers` at the end of what is written (a write may take fewer bytes than asked). */
  private writeAll(buffers: Buffer[], done: (error?: Error | null) => void): void {
    if (this.flushError) return done(this.flushError);
    fs.writev(this.fd!, buffers, this.written, (error, bytes) => {
      if (error) return done(error);
      this.written += bytes;
      let rest = buffers;
      for (let skip = bytes; skip > 0 && rest.length > 0; ) {
        if (skip >= rest[0].length) {
          skip -= rest[0].length;
          rest = rest.slice(1);
        } else {
          rest = [rest[0].subarray(skip), ...rest.slice(1)];
          skip = 0;
        }
      }
      if (rest.length > 0) return this.writeAll(rest, done);
      this.flushAhead();
      done();
    });
  }

  /** Starts a datasync of what is written so far, unless one runs or too little is new. */
  private flushAhead(): void {
    if (this.flushing || this.written - this.flushedTo < SYNC_EVERY_BYTES) return;
    const upTo = this.written;
    this.flushing = new Promise((resolve) =>
      fs.fdatasync(this.fd!, (error) => {
        if (error) this.flushError ??= error;
        else this.flushedTo = upTo;
        this.flushing = null;
        resolve();
      }),
    );
  }

  /** The whole file on disk before `finish`: what commit() renames into place is durable. */
  override _final(done: (error?: Error | null) => void): void {
    void (this.flushing ?? Promise.resolve()).then(() => {
      if (this.flushError) return done(this.flushError);
      fs.fsync(this.fd!, (error) => done(error));
    });
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    void (this.flushing ?? Promise.resolve()).then(() => {
      if (this.fd === null) return done(error);
      const fd = this.fd;
      this.fd = null;
      fs.close(fd, (closeError) => done(error ?? closeError));
    });
  }
}

/**
 * Files under one root directory. A writer writes `<key>.part-<random>` beside the target,
 * fsyncs it and renames it into place, so a reader sees either no file or the whole file.
 */
export class LocalStorage implements ObjectStorage {
  readonly kind = "local" as const;

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    return path.join(this.root, checkKey(key));
  }

  async writer(key: string): Promise<ObjectWriter> {
    const target = this.pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.part-${randomBytes(6).toString("hex")}`;
    const stream = new PartFile(temp);
    return {
      stream,
      async commit() {
        // Resolves once the file is fsynced (PartFile's _final) and closed.
        await finished(stream);
        await fsp.rename(temp, target);
      },
      async abort() {
        stream.destroy();
        await fsp.rm(temp, { force: true }).catch(() => undefined);
      },
    };
  }

  async read(key: string): Promise<StoredObject | null> {
    const file = this.pathOf(key);
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat?.isFile()) return null;
    return { stream: fs.createReadStream(file), size: stat.size };
  }

  async size(key: string): Promise<number | null> {
    const stat = await fsp.stat(this.pathOf(key)).catch(() => null);
    return stat?.isFile() ? stat.size : null;
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  /** Removes temporary files a crashed writer left behind (older than `olderThanMs`). */
  async removeStaleParts(olderThanMs: number): Promise<number> {
    let removed = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (/\.part-[0-9a-f]{12}$/.test(entry.name)) {
          const stat = await fsp.stat(full).catch(() => null);
          if (stat && Date.now() - stat.mtimeMs > olderThanMs) {
            await fsp.rm(full, { force: true });
            removed++;
          }
        }
      }
    };
    await walk(this.root);
    return removed;
  }
}
