import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { checkKey, type ObjectStorage, type ObjectWriter, type StoredObject } from "./object-storage";

/** Written bytes past the last flush that start the next background flush. */
const FLUSH_EVERY_BYTES = 8 * 1024 * 1024;
/** How often the writer looks whether a flush is due. */
const FLUSH_CHECK_MS = 20;

/**
 * Files under one root directory. A writer writes `<key>.part-<random>` beside the target,
 * fsyncs it and renames it into place, so a reader sees either no file or the whole file. While
 * it writes, what it has written is flushed to disk in the background, so the fsync at commit
 * waits for the last few MB only.
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
    const stream = fs.createWriteStream(temp, { flags: "wx" });
    await once(stream, "open");
    // A descriptor of its own for the flushes and commit's fsync (they act on the file, whichever
    // descriptor asks), so the stream keeps closing its own as it always did.
    const handle = await fsp.open(temp, "r").catch((error: unknown) => {
      stream.destroy();
      throw error;
    });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    // What has been written goes to disk in the background while the writing goes on, so
    // commit's fsync only waits for the tail instead of the whole file.
    let flushedTo = 0;
    let flushing: Promise<void> | null = null;
    let flushError: unknown = null;
    const flushTimer = setInterval(() => {
      if (flushing || closed || stream.bytesWritten - flushedTo < FLUSH_EVERY_BYTES) return;
      const upTo = stream.bytesWritten;
      flushing = handle.datasync().then(
        () => void (flushedTo = upTo),
        (error: unknown) => void (flushError ??= error),
      ).finally(() => (flushing = null));
    }, FLUSH_CHECK_MS);
    flushTimer.unref();
    const settle = async () => {
      clearInterval(flushTimer);
      await flushing;
    };
    return {
      stream,
      async commit() {
        try {
          if (!stream.writableFinished) await finished(stream);
          await settle();
          if (flushError) throw flushError;
          await handle.sync();
        } finally {
          await settle();
          await close();
        }
        await fsp.rename(temp, target);
        // The rename is on disk only once its directory is: without this, a crash soon after
        // commit could leave the file under its temporary name while the export says COMPLETED.
        await syncDirectory(path.dirname(target));
      },
      async abort() {
        stream.destroy();
        await settle();
        await close().catch(() => undefined);
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

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fsp.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
