import path from "node:path";
import type { Config } from "../../config/config";
import { LocalStorage } from "./local-storage";
import type { ObjectStorage } from "./object-storage";
import { S3Storage } from "./s3-storage";

export { LocalStorage } from "./local-storage";
export { S3Storage, contentDisposition } from "./s3-storage";
export type { ObjectStorage, ObjectWriter, StoredObject } from "./object-storage";

/** The configured storage: files under DATA_DIR (exports/, attachments/) or an S3 bucket. */
export function createStorage(config: Config): ObjectStorage {
  if (config.exportStorage === "s3") {
    return new S3Storage({
      bucket: config.s3Bucket, region: config.s3Region, endpoint: config.s3Endpoint || undefined, forcePathStyle: config.s3ForcePathStyle,
      accessKeyId: config.s3AccessKeyId || undefined, secretAccessKey: config.s3SecretAccessKey || undefined,
    });
  }
  return new LocalStorage(path.resolve(config.dataDir));
}
