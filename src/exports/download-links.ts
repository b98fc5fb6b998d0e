import { sign, type SigningKeys } from "../shared/signing";
import type { ObjectStorage } from "./storage";

export interface SignedLink {
  url: string;
  expiresAt: Date;
}

/** A downloadable file: where it is stored, and the name and type it is served with. */
export interface DownloadableFile {
  storageKey: string;
  fileName: string;
  contentType: string;
}

/**
 * Mints download links, fresh on every read (nothing stores a URL). Local storage: a URL of
 * this gateway signed with the active key; S3: the bucket's own presigned GET URL.
 */
export class DownloadLinks {
  constructor(
    private readonly keys: SigningKeys,
    private readonly storage: ObjectStorage,
    /** The gateway's public base URL (known once it listens). */
    private readonly baseUrl: () => string,
    private readonly lifetimeSeconds: number,
  ) {}

  /** A link to `path` on this gateway (local storage), or the storage's presigned URL (S3). */
  async link(path: string, file: DownloadableFile): Promise<SignedLink> {
    const expiresAt = new Date(Date.now() + this.lifetimeSeconds * 1000);
    if (this.storage.presignGet) {
      const url = await this.storage.presignGet(file.storageKey, { fileName: file.fileName, contentType: file.contentType, expiresInSeconds: this.lifetimeSeconds });
      return { url, expiresAt };
    }
    const signed = sign(this.keys, "GET", path, expiresAt);
    const query = new URLSearchParams({ expires: String(signed.expires), kid: signed.kid, sig: signed.sig });
    return { url: `${this.baseUrl()}${path}?${query}`, expiresAt: new Date(signed.expires * 1000) };
  }

  exportFile(exportId: string, storageKey: string, fileName: string): Promise<SignedLink> {
    return this.link(`/exports/${exportId}/${encodeURIComponent(fileName)}`, { storageKey, fileName, contentType: "text/csv; charset=utf-8" });
  }

  attachment(attachment: { id: string; storageKey: string | null; fileName: string; contentType: string }): Promise<SignedLink> | null {
    if (!attachment.storageKey) return null;
    return this.link(`/attachments/${attachment.id}`, { storageKey: attachment.storageKey, fileName: attachment.fileName, contentType: attachment.contentType });
  }
}
