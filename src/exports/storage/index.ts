import path from "node:path";
import type { Config } from "../../config/config";
import { LocalStorage } from "./local-storage";
import type { ObjectStorage } from "./object-storage";
import type { S3Storage } from "./s3-storage";

export { LocalStorage } from "./local-storage";
export { contentDisposition } from "./object-storage";
export type { S3Storage } from "./s3-storage";
export type { ObjectStorage, ObjectWriter, StoredObject } from "./object-storage";

/** The configured storage: files under DATA_DIR (exports/, attachments/) or an S3 bucket. */
export function createStorage(config: Config): ObjectStorage {
  if (config.exportStorage === "s3") {
    // Loaded only when configured: otherwise the AWS SDK would sit in every process's memory.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { S3Storage: S3 } = require("./s3-storage") as { S3Storage: typeof S3Storage };
    return new S3({
      bucket: config.s3Bucket, region: config.s3Region, endpoint: config.s3Endpoint || undefined,
      publicEndpoint: config.s3PublicEndpoint || undefined, forcePathStyle: config.s3ForcePathStyle,
      accessKeyId: config.s3AccessKeyId || undefined, secretAccessKey: config.s3SecretAccessKey || undefined,
    });
  }
  return new LocalStorage(path.resolve(config.dataDir));
}
