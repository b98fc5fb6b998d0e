import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import { checkKey, type ObjectStorage, type ObjectWriter, type StoredObject } from "./object-storage";

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
    const stream = fs.createWriteStream(temp, { flags: "wx" });
    return {
      stream,
      async commit() {
        if (!stream.writableFinished) await finished(stream);
        const handle = await fsp.open(temp, "r");
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
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
