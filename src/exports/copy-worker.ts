/**
 * Worker-thread entry for the PostgreSQL CSV engine (see writeCsvByCopyInWorker): runs the COPY
 * on its own connection, shapes the bytes, and hands 64 KB chunks to the gateway thread, which
 * writes them to storage. At most a few chunks are in flight: each waits for the gateway's
 * acknowledgement that storage took it, so a slow disk slows the COPY instead of filling memory.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Writable } from "node:stream";
import { Client } from "pg";
import { writeCsvByCopy } from "./copy-stream";
import type { CopyWorkerData, CopyWorkerMessage } from "./copy-stream";

const IN_FLIGHT = 4;

async function main(): Promise<void> {
  const { connectionString, sql, headers, progressEvery } = workerData as CopyWorkerData;
  const port = parentPort!;
  const post = (message: CopyWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  let inFlight = 0;
  let resume: (() => void) | null = null;
  port.on("message", () => {
    inFlight--;
    resume?.();
    resume = null;
  });
  const toGateway = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // A copy the transfer can own (chunks may share a larger buffer).
      const data = new Uint8Array(chunk).buffer;
      post({ type: "chunk", data }, [data]);
      if (++inFlight < IN_FLIGHT) return done();
      resume = done;
    },
  });
  const client = new Client({ connectionString, application_name: "sessiongraph-export" });
  await client.connect();
  let result;
  try {
    result = await writeCsvByCopy(client, sql, toGateway, { headers, progressEvery, onProgress: (rows) => post({ type: "progress", rows }) });
  } finally {
    await client.end().catch(() => undefined);
  }
  post({ type: "done", result });
  port.close();
}

main().catch((error: unknown) => {
  parentPort!.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) } satisfies CopyWorkerMessage);
});
