/** A real webhook receiver on loopback: records every request; each path answers as told. */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** What a path answers its n-th request (1-based): an HTTP status, or "hang" (never answers). */
export type Behaviour = (n: number) => number | "hang";

export interface Receiver {
  url(path: string): string;
  received(path: string): Received[];
  behave(path: string, behaviour: Behaviour): void;
  /** Resolves once `path` has received `count` requests. */
  waitFor(path: string, count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const log: Received[] = [];
  const behaviours = new Map<string, Behaviour>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      log.push({ path, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const answer = (behaviours.get(path) ?? (() => 200))(log.filter((r) => r.path === path).length);
      if (answer === "hang") return;
      res.writeHead(answer, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const received = (path: string) => log.filter((r) => r.path === path);
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    behave: (path, behaviour) => behaviours.set(path, behaviour),
    async waitFor(path, count, timeoutMs = 30_000) {
      for (const deadline = Date.now() + timeoutMs; ; ) {
        if (received(path).length >= count) return received(path);
        if (Date.now() > deadline) throw new Error(`${path} received ${received(path).length} of ${count} requests in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
