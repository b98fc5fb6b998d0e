import { registerEnumType } from "type-graphql";

/** Session statuses as users know them from the session data export. */
export enum SessionStatus {
  PENDING = "PENDING",
  RESERVED = "RESERVED",
  ACCEPTED = "ACCEPTED",
  STARTED = "STARTED",
  PROBLEM = "PROBLEM",
  ON_HOLD = "ON_HOLD",
  UPLOADING = "UPLOADING",
  UPLOADED = "UPLOADED",
  COMPLETED = "COMPLETED",
  EXPIRED = "EXPIRED",
  REFUNDED = "REFUNDED",
  CANCELED = "CANCELED",
}

registerEnumType(SessionStatus, {
  name: "SessionStatus",
  valuesConfig: {
    PENDING: { description: "Waiting for a contributor." },
    RESERVED: { description: "A live conversation session a contributor has reserved." },
    ACCEPTED: { description: "Accepted by a contributor, not yet recording." },
    STARTED: { description: "Started, not yet completed." },
    PROBLEM: { description: "The contributor reported a problem; the test must be fixed and restarted." },
    ON_HOLD: { description: "Put on hold because of a technical issue." },
    UPLOADING: { description: "The recording is uploading." },
    UPLOADED: { description: "Uploaded; processing is under way." },
    COMPLETED: { description: "Finished by the contributor." },
    EXPIRED: { description: "Not started or finished in time." },
    REFUNDED: { description: "Canceled after a low rating or on request." },
    CANCELED: { description: "A pending session that was canceled." },
  },
});

/**
 * The test type (`Session.testType`) of a Live Conversation session: the one kind of session
 * that may still be canceled once UPLOADED (session data export: "For Live Conversation
 * sessions, you can cancel sessions with the status of uploaded").
 */
export const LIVE_CONVERSATION = "Live Conversation";

/** Where a session comes from: a test run, or activity ingestion (sessionization). */
export enum SessionOrigin {
  RUN = "RUN",
  TRACKED = "TRACKED",
}
registerEnumType(SessionOrigin, {
  name: "SessionOrigin",
  valuesConfig: {
    RUN: { description: "A test session run by a user, an API token or anonymously." },
    TRACKED: { description: "Opened by trackActivities: a visit that ends after the session gap of inactivity." },
  },
});

export enum RunnerKind {
  USER = "USER",
  API_TOKEN = "API_TOKEN",
  ANONYMOUS = "ANONYMOUS",
}
registerEnumType(RunnerKind, { name: "RunnerKind", description: "Who ran a session." });

export enum AttachmentKind {
  LOG = "LOG",
  VIDEO = "VIDEO",
  SCREENSHOT = "SCREENSHOT",
  OTHER = "OTHER",
}
registerEnumType(AttachmentKind, { name: "AttachmentKind" });
