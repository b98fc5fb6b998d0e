import { CodedError, ErrorCode } from "../shared/errors";
import type { SessionStatus } from "./session-status";

export class SessionNotCancelableError extends CodedError {
  constructor(id: string, status: SessionStatus, testType: string | null) {
    super(
      ErrorCode.SESSION_NOT_CANCELABLE,
      `Session ${id} is ${status}; only PENDING or RESERVED sessions, or UPLOADED Live Conversation sessions, can be canceled.`,
      { status, testType },
    );
  }
}
