/**
 * Signed downloads: GET /attachments/:id (and, with exports, /exports/:id/:file). No bearer
 * token: the URL's signature is the capability, so lookups here bypass viewer scope by design.
 * Refusals are short plain-text reasons: 403 for a bad or expired signature, 404 for a file that
 * is not (or no longer) there. Never a 500 for bad input, never a partial file.
 */
import type { Readable } from "node:stream";
import { Router, type Request, type Response } from "express";
import { systemQuery, type Database } from "../access";
import { contentDisposition, type ObjectStorage } from "../exports";
import { isUuid } from "../shared/sql";
import { SIGNATURE_PROBLEMS, verify, type SigningKeys } from "../shared/signing";
import type { Logger } from "../shared/logger";

export interface DownloadRouterOptions {
  database: Database;
  storage: ObjectStorage;
  keys: SigningKeys;
  logger: Logger;
}

const NOT_FOUND = "Not found: the file does not exist or is no longer available.";

export function downloadRouter({ database, storage, keys, logger }: DownloadRouterOptions): Router {
  const router = Router();

  /** The file to send; for a HEAD only its size, so the body is never read (a HEAD of a 1 GB export reads nothing). */
  const open = async (req: Request, key: string): Promise<{ size: number; stream?: Readable } | null> => {
    if (req.method !== "HEAD") return storage.read(key);
    const size = await storage.size(key);
    return size === null ? null : { size };
  };

  /** 403 with the reason when the signature does not hold; true when it does. */
  const signatureHolds = (req: Request, res: Response): boolean => {
    const problem = verify(keys, "GET", req.path, req.query as Record<string, unknown>);
    if (problem) res.status(403).type("text/plain").send(SIGNATURE_PROBLEMS[problem]);
    return problem === null;
  };

  router.get("/attachments/:id", async (req, res) => {
    if (!signatureHolds(req, res)) return;
    const id = String(req.params.id);
    const [row] = isUuid(id)
      ? await systemQuery(database, "download: the signed URL is the capability, not a viewer", `SELECT file_name, content_type, storage_key FROM attachments WHERE id = $1`, [id])
      : [];
    const stored = row?.storage_key ? await open(req, row.storage_key) : null;
    if (!stored) {
      res.status(404).type("text/plain").send(NOT_FOUND);
      return;
    }
    res.status(200).set({
      "Content-Type": row.content_type,
      "Content-Disposition": contentDisposition(row.file_name),
      "Content-Length": String(stored.size),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    });
    if (stored.stream) pipeFile(stored.stream, res, logger, req.path);
    else res.end();
  });

  router.get("/exports/:id/:file", async (req, res) => {
    if (!signatureHolds(req, res)) return;
    const id = String(req.params.id);
    const file = String(req.params.file);
    // Only a COMPLETED export has a storage key, and a file only ever appears under it once complete.
    const [row] = isUuid(id)
      ? await systemQuery(
          database,
          "download: the signed URL is the capability, not a viewer",
          `SELECT file_name, storage_key, bytes, sha256 FROM exports WHERE id = $1 AND status = 'COMPLETED'`,
          [id],
        )
      : [];
    const stored = row?.storage_key && row.file_name === file ? await open(req, row.storage_key) : null;
    if (!stored) {
      res.status(404).type("text/plain").send(NOT_FOUND);
      return;
    }
    res.status(200).set({
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(row.file_name),
      "Content-Length": String(stored.size),
      // RFC 9530 digest of the file, and the same SHA-256 in hex for scripts.
      "Repr-Digest": `sha-256=:${Buffer.from(row.sha256, "hex").toString("base64")}:`,
      "X-Content-SHA256": row.sha256,
      ETag: `"${row.sha256}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    });
    if (stored.stream) pipeFile(stored.stream, res, logger, req.path);
    else res.end();
  });

  return router;
}

/** Streams a file; a read error mid-way aborts the response (the client sees a truncated transfer, never a complete-looking file). */
export function pipeFile(stream: NodeJS.ReadableStream & { destroy?: () => void }, res: Response, logger: Logger, path: string): void {
  stream.on("error", (error: Error) => {
    logger.error("download failed", { path, error: error.message });
    res.destroy(error);
  });
  res.on("close", () => stream.destroy?.());
  stream.pipe(res);
}
