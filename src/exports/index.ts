export { Export, ExportKind, ExportStatus } from "./export.entity";
export { ExportService, type ExportQueue } from "./export.service";
export { ExportJobs } from "./export.jobs";
export { ExportResolver, ExportConnection } from "./export.resolver";
export { DownloadLinks } from "./download-links";
export { createStorage, type ObjectStorage } from "./storage";
export { loadSigningKeys } from "./signing-keys";
export { exportStorageKey } from "./export.runner";
