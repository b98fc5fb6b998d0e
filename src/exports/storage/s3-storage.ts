import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { contentDisposition } from "./object-storage";
import { checkKey, type ObjectStorage, type ObjectWriter, type PresignOptions, type StoredObject } from "./object-storage";

export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  /**
   * Endpoint written into presigned URLs, when clients reach the storage at another address
   * than the gateway does (a container network name inside, a public host outside); default `endpoint`.
   */
  publicEndpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/**
 * S3-compatible object storage. A writer spools to a local temporary file and uploads it with
 * one PutObject on commit: S3 makes an object visible only once it is complete, so a crash
 * never leaves a partial object, and the upload knows its length up front.
 */
export class S3Storage implements ObjectStorage {
  readonly kind = "s3" as const;
  private readonly client: S3Client;
  /** Signs download URLs: a signature covers the host, so it must be the one clients use. Presigning sends nothing. */
  private readonly presigner: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    const config: S3ClientConfig = { region: options.region, forcePathStyle: options.forcePathStyle };
    if (options.endpoint) {
      config.endpoint = options.endpoint;
      // Many S3-compatible servers do not understand the SDK's default aws-chunked uploads with
      // trailing checksums; send plain bodies unless an operation requires a checksum.
      config.requestChecksumCalculation = "WHEN_REQUIRED";
      config.responseChecksumValidation = "WHEN_REQUIRED";
    }
    if (options.accessKeyId && options.secretAccessKey) {
      config.credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
    }
    this.client = new S3Client(config);
    this.presigner = options.publicEndpoint ? new S3Client({ ...config, endpoint: options.publicEndpoint }) : this.client;
  }

  async writer(key: string): Promise<ObjectWriter> {
    checkKey(key);
    const temp = path.join(os.tmpdir(), `sessiongraph-upload-${randomBytes(8).toString("hex")}`);
    const stream = fs.createWriteStream(temp, { flags: "wx", mode: 0o600 });
    const { client, options } = this;
    return {
      stream,
      async commit() {
        if (!stream.writableFinished) await finished(stream);
        try {
          const { size } = await fsp.stat(temp);
          await client.send(new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: fs.createReadStream(temp), ContentLength: size }));
        } finally {
          await fsp.rm(temp, { force: true });
        }
      },
      async abort() {
        stream.destroy();
        await fsp.rm(temp, { force: true }).catch(() => undefined);
      },
    };
  }

  async read(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
      return { stream: out.Body as Readable, size: Number(out.ContentLength ?? 0) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
      return Number(head.ContentLength ?? 0);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
  }

  presignGet(key: string, { fileName, contentType, expiresInSeconds }: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: checkKey(key),
      ResponseContentType: contentType,
      ResponseContentDisposition: contentDisposition(fileName),
    });
    return getSignedUrl(this.presigner, command, { expiresIn: expiresInSeconds });
  }
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}
