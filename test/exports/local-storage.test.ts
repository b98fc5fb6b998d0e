/**
 * Local storage's writer, on a real directory: a 20 MB file comes back
 * byte for byte, through large and small writes alike; nothing is readable under the key before
 * commit; an abort leaves neither the file nor its temporary part; a failed write fails commit;
 * a slow writer's file is flushed to disk while it is written, and no descriptor is left open.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LocalStorage } from "../../src/exports/storage/local-storage";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "sessiongraph-local-storage-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const write = (stream: NodeJS.WritableStream, chunk: Buffer) => new Promise<void>((resolve) => (stream.write(chunk) ? resolve() : stream.once("drain", resolve)));
const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));

const openDescriptors = () => fs.readdirSync("/proc/self/fd").length;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts fdatasync calls made through FileHandle (the writer's background flushes). */
async function countDatasyncs(): Promise<{ count: () => number; restore: () => void }> {
  const probe = await fsp.open(__filename, "r");
  const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  const spy = jest.spyOn(proto, "datasync");
  return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() };
}

describe("LocalStorage writer", () => {
  it("stores 20 MB of large and small chunks byte for byte, readable only after commit", async () => {
    const storage = new LocalStorage(root);
    const writer = await storage.writer("exports/a/b/file.csv");
    const hash = createHash("sha256");
    let bytes = 0;
    // 256 KB chunks (the COPY engine's), then many small ones (json2csv's), then large again.
    const sizes = [...Array(40).fill(256 * 1024), ...Array(5_000).fill(0).map((_, i) => 1 + (i % 700)), ...Array(40).fill(250_000)];
    for (const size of sizes) {
      const chunk = randomBytes(size);
      hash.update(chunk);
      bytes += size;
      await write(writer.stream, chunk);
      if (bytes > 12 * 1024 * 1024 && bytes - size <= 12 * 1024 * 1024) expect(await storage.size("exports/a/b/file.csv")).toBeNull();
    }
    expect(bytes).toBeGreaterThan(20 * 1024 * 1024);
    writer.stream.end();
    await writer.commit();

    expect(await storage.size("exports/a/b/file.csv")).toBe(bytes);
    const stored = await storage.read("exports/a/b/file.csv");
    const readBack = createHash("sha256");
    for await (const chunk of stored!.stream) readBack.update(chunk as Buffer);
    expect(readBack.digest("hex")).toBe(hash.digest("hex"));
    // No temporary part is left beside it.
    expect(filesUnder(root).map((f) => path.relative(root, f))).toEqual([path.join("exports", "a", "b", "file.csv")]);
  });

  it("leaves neither the file nor its part after an abort mid-write", async () => {
    const storage = new LocalStorage(root);
    const writer = await storage.writer("exports/x/file.csv");
    for (let i = 0; i < 50; i++) await write(writer.stream, randomBytes(256 * 1024));
    await writer.abort();
    expect(await storage.size("exports/x/file.csv")).toBeNull();
    expect(filesUnder(root)).toEqual([]);
  });

  it("fails commit, and stores nothing, when the stream was cut by an error", async () => {
    const storage = new LocalStorage(root);
    const writer = await storage.writer("exports/y/file.csv");
    await write(writer.stream, randomBytes(1024));
    writer.stream.destroy(new Error("lease lost"));
    await expect(writer.commit()).rejects.toThrow("lease lost");
    await writer.abort();
    expect(await storage.size("exports/y/file.csv")).toBeNull();
    expect(filesUnder(root)).toEqual([]);
  });

  it("flushes a slow writer's file while it is written, and leaves no descriptor open after commit or abort", async () => {
    const storage = new LocalStorage(root);
    const datasyncs = await countDatasyncs();
    try {
      const before = openDescriptors();
      const writer = await storage.writer("exports/slow/file.csv");
      const hash = createHash("sha256");
      // 24 MB, 2 MB at a time with pauses: the writer sees 8 MB piling up several times.
      for (let i = 0; i < 12; i++) {
        const chunk = randomBytes(2 * 1024 * 1024);
        hash.update(chunk);
        await write(writer.stream, chunk);
        await pause(30);
      }
      expect(datasyncs.count()).toBeGreaterThanOrEqual(1);
      expect(await storage.size("exports/slow/file.csv")).toBeNull();
      writer.stream.end();
      await writer.commit();
      expect(openDescriptors()).toBe(before);
      const readBack = createHash("sha256");
      for await (const chunk of (await storage.read("exports/slow/file.csv"))!.stream) readBack.update(chunk as Buffer);
      expect(readBack.digest("hex")).toBe(hash.digest("hex"));

      const cut = await storage.writer("exports/slow/cut.csv");
      for (let i = 0; i < 6; i++) {
        await write(cut.stream, randomBytes(2 * 1024 * 1024));
        await pause(30);
      }
      await cut.abort();
      expect(openDescriptors()).toBe(before);
      expect(filesUnder(root).map((f) => path.relative(root, f))).toEqual([path.join("exports", "slow", "file.csv")]);
    } finally {
      datasyncs.restore();
    }
  });
});
