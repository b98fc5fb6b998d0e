import type { Readable, Writable } from "node:stream";

/** A stored file, opened for reading. */
export interface StoredObject {
  stream: Readable;
  size: number;
}

/**
 * Writes one object. Nothing is visible under the key until `commit()` resolves: a writer
 * that is aborted, or whose process dies first, leaves no readable (partial) object.
 */
export interface ObjectWriter {
  stream: Writable;
  commit(): Promise<void>;
  /** Drops what was written; never throws. */
  abort(): Promise<void>;
}

export interface PresignOptions {
  fileName: string;
  contentType: string;
  expiresInSeconds: number;
}

/** Where export files and attachments live: local disk or S3-compatible object storage. */
export interface ObjectStorage {
  readonly kind: "local" | "s3";
  writer(key: string): Promise<ObjectWriter>;
  /** The object, or null when there is none under `key`. */
  read(key: string): Promise<StoredObject | null>;
  /** The object's size in bytes, or null when there is none (its body is not read). */
  size(key: string): Promise<number | null>;
  /** Deletes the object if present. */
  delete(key: string): Promise<void>;
  /** S3 only: the storage's own presigned GET URL, which browsers download from directly. */
  presignGet?(key: string, options: PresignOptions): Promise<string>;
}

const SAFE_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Keys are relative paths of safe segments (no "..", no leading dot or slash). */
export function checkKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.length > 512) throw new Error(`invalid storage key: ${JSON.stringify(key).slice(0, 80)}`);
  return key;
}

/** `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266): ASCII fallback plus the exact name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
