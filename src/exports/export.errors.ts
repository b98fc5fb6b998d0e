import { CodedError, ErrorCode } from "../shared/errors";
import type { ExportStatus } from "./export.entity";

export class ExportNotCancelableError extends CodedError {
  constructor(id: string, status: ExportStatus) {
    super(ErrorCode.EXPORT_NOT_CANCELABLE, `Export ${id} is ${status}; only QUEUED or RUNNING exports can be canceled.`, { status });
  }
}

export class ExportNotRetryableError extends CodedError {
  constructor(id: string, status: ExportStatus) {
    super(ErrorCode.EXPORT_NOT_RETRYABLE, `Export ${id} is ${status}; only FAILED or CANCELED exports can be retried.`, { status });
  }
}
