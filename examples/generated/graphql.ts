/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, YYYY-MM-DD. */
  Date: { input: string; output: string; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
};

/** Columns of an activities export: who, what, when, where. */
export enum ActivityColumn {
  ACTION = 'ACTION',
  ACTIVITY_ID = 'ACTIVITY_ID',
  CATEGORY = 'CATEGORY',
  COMPANY = 'COMPANY',
  CONTENT_ID = 'CONTENT_ID',
  CONTENT_NAME = 'CONTENT_NAME',
  CONTENT_SLUG = 'CONTENT_SLUG',
  DATE_TIME = 'DATE_TIME',
  EMAIL = 'EMAIL',
  FIRST_NAME = 'FIRST_NAME',
  LABEL = 'LABEL',
  LAST_NAME = 'LAST_NAME',
  SESSION_ID = 'SESSION_ID',
  USER_ID = 'USER_ID'
}

export type ActivityFilter = {
  /** e.g. "View", "Log In". */
  actions?: InputMaybe<Array<Scalars['String']['input']>>;
  /** e.g. "Page", "Content - OTSession". */
  categories?: InputMaybe<Array<Scalars['String']['input']>>;
  companyIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Whole days, both ends included. */
  dateRange?: InputMaybe<DateRangeInput>;
  sessionIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** IANA time zone the date range is read in; UTC by default. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
  /** Activities of these users (admins; others only ever see their own). */
  userIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** One tracked event. Organization and company always come from the user's record. */
export type ActivityInput = {
  /** e.g. "View", "Log In", "Complete". */
  action: Scalars['String']['input'];
  /** e.g. "Content - OTSession", "Page", "User". */
  category: Scalars['String']['input'];
  /** The content page it happened on; events with one maintain the user's content progress. */
  contentId?: InputMaybe<Scalars['String']['input']>;
  contentName?: InputMaybe<Scalars['String']['input']>;
  contentSlug?: InputMaybe<Scalars['String']['input']>;
  /** Client-chosen id, unique per user (at most 200 characters): an event whose id was already stored for its user is not stored again, and its `accepted` entry answers the original activity and session. Send one so a retry after a timeout cannot store an event twice. */
  eventId?: InputMaybe<Scalars['String']['input']>;
  label?: InputMaybe<Scalars['String']['input']>;
  /** When it happened (UTC); at most a few minutes in the future. */
  occurredAt: Scalars['DateTime']['input'];
  /** The user who did it; the caller's own user when omitted. Only admins may name another user of their organization. */
  userId?: InputMaybe<Scalars['ID']['input']>;
};

export enum AttachmentKind {
  LOG = 'LOG',
  OTHER = 'OTHER',
  SCREENSHOT = 'SCREENSHOT',
  VIDEO = 'VIDEO'
}

export enum AuthMethod {
  API_TOKEN = 'API_TOKEN',
  JWT = 'JWT'
}

export type CompanyFilter = {
  /** Case-insensitive text in the company name. */
  search?: InputMaybe<Scalars['String']['input']>;
};

/** Whole days, both ends included. */
export type DateRangeInput = {
  /** First day included. */
  from?: InputMaybe<Scalars['Date']['input']>;
  /** Last day included. */
  to?: InputMaybe<Scalars['Date']['input']>;
};

/** What an export holds. */
export enum ExportKind {
  ACTIVITIES = 'ACTIVITIES',
  SESSIONS = 'SESSIONS',
  USERS = 'USERS',
  USER_DATA = 'USER_DATA'
}

/** How the CSV is written. */
export type ExportOptions = {
  /** Start the file with a UTF-8 byte-order mark (EF BB BF), so Excel opens it as UTF-8 and shows "Zoë" rather than "ZoÃ«". Default false. `bytes` and `sha256` include it. */
  bom?: InputMaybe<Scalars['Boolean']['input']>;
  /** Prefix text cells that start with =, +, -, @, a tab or a carriage return with an apostrophe, so spreadsheets show them as text instead of running them. Default true; set false for machine consumers that need the raw values. */
  neutralizeFormulas?: InputMaybe<Scalars['Boolean']['input']>;
};

/** The filter of the kind previewed: set at most the one field that matches `kind` (none: no filter). */
export type ExportPreviewFilter = {
  /** For ACTIVITIES: as `activities(filter)` and `exportActivities(filter)`. */
  activities?: InputMaybe<ActivityFilter>;
  /** For SESSIONS: as `sessions(filter)` and `exportSessions(filter)`. */
  sessions?: InputMaybe<SessionFilter>;
  /** For USERS: as `users(filter)` and `exportUsers(filter)`. */
  users?: InputMaybe<UserFilter>;
};

export enum ExportStatus {
  /** Canceled with `cancelExport`; no file is kept. `retryExport` runs it again. */
  CANCELED = 'CANCELED',
  /** The file is complete and downloadable through `url`. */
  COMPLETED = 'COMPLETED',
  /** The file passed its retention and was deleted. */
  EXPIRED = 'EXPIRED',
  /** The job failed; `error` says why. No file is downloadable. */
  FAILED = 'FAILED',
  /** Waiting for a worker. */
  QUEUED = 'QUEUED',
  /** Rows are being written; processedRows shows progress. */
  RUNNING = 'RUNNING'
}

/** A profile period relative to today: the last N whole days ending today (included), or all time. */
export enum PeriodPreset {
  ALL_TIME = 'ALL_TIME',
  LAST_7_DAYS = 'LAST_7_DAYS',
  LAST_30_DAYS = 'LAST_30_DAYS',
  LAST_90_DAYS = 'LAST_90_DAYS'
}

/** A preset or a custom range (not both); neither means LAST_30_DAYS. */
export type ProfilePeriod = {
  preset?: InputMaybe<PeriodPreset>;
  /** Whole days, both ends included; an open end is unbounded. */
  range?: InputMaybe<DateRangeInput>;
  /** IANA time zone the days are read in ("today" for presets); UTC by default. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
};

/** ADMIN reads the whole organization; DEVELOPER and MEMBER read their own rows. */
export enum Role {
  ADMIN = 'ADMIN',
  DEVELOPER = 'DEVELOPER',
  MEMBER = 'MEMBER'
}

/** Who ran a session. */
export enum RunnerKind {
  ANONYMOUS = 'ANONYMOUS',
  API_TOKEN = 'API_TOKEN',
  USER = 'USER'
}

/** Columns of a sessions export. */
export enum SessionColumn {
  ACTUAL_DURATION = 'ACTUAL_DURATION',
  APPROVER_EMAIL = 'APPROVER_EMAIL',
  APPROVER_NAME = 'APPROVER_NAME',
  APP_BUILD = 'APP_BUILD',
  APP_GROUP = 'APP_GROUP',
  APP_ID = 'APP_ID',
  APP_NAME = 'APP_NAME',
  BOOKED_DURATION = 'BOOKED_DURATION',
  BROWSER_VERSION = 'BROWSER_VERSION',
  COMPLETED_DATE = 'COMPLETED_DATE',
  CONTRIBUTOR_USERNAME = 'CONTRIBUTOR_USERNAME',
  CREATOR_EMAIL = 'CREATOR_EMAIL',
  CREATOR_NAME = 'CREATOR_NAME',
  DEVICE_MODEL = 'DEVICE_MODEL',
  DEVICE_TYPE = 'DEVICE_TYPE',
  DURATION = 'DURATION',
  LAUNCHER_EMAIL = 'LAUNCHER_EMAIL',
  LAUNCHER_NAME = 'LAUNCHER_NAME',
  LAUNCH_DATE = 'LAUNCH_DATE',
  NETWORK_TYPE = 'NETWORK_TYPE',
  OPERATING_SYSTEM = 'OPERATING_SYSTEM',
  OS_VERSION = 'OS_VERSION',
  QUEUE_TIME = 'QUEUE_TIME',
  REMOVED = 'REMOVED',
  REMOVED_REASON = 'REMOVED_REASON',
  RUN_BY = 'RUN_BY',
  SESSION_ID = 'SESSION_ID',
  SHORT_TEST = 'SHORT_TEST',
  START_DATE = 'START_DATE',
  STATUS = 'STATUS',
  TEMPLATE = 'TEMPLATE',
  TEST_ID = 'TEST_ID',
  TEST_NAME = 'TEST_NAME',
  TEST_TYPE = 'TEST_TYPE',
  UNITS_PENDING = 'UNITS_PENDING',
  UNITS_USED = 'UNITS_USED',
  WORKSPACE = 'WORKSPACE'
}

/** Every field narrows the list; an export given the same filter holds the same rows. */
export type SessionFilter = {
  /** Launch date range, whole days, both ends included. */
  dateRange?: InputMaybe<DateRangeInput>;
  /** Device types, e.g. "iPhone 15". */
  deviceTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Include sessions removed from the dashboard (replaced, refunded, hidden). */
  includeRemoved?: InputMaybe<Scalars['Boolean']['input']>;
  /** OS versions, e.g. "17.4". */
  osVersions?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Only sessions with session units pending above zero. */
  pendingUnitsOnly?: InputMaybe<Scalars['Boolean']['input']>;
  /** Case-insensitive text in app id, app name, the runner's username, or who ran it as the row shows it (the user's email, an API token's label, an anonymous run's label); % and _ match literally. */
  search?: InputMaybe<Scalars['String']['input']>;
  statuses?: InputMaybe<Array<SessionStatus>>;
  /** IANA time zone the date range is read in; UTC by default. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
  /** Sessions of these users (admins; others only ever see their own). */
  userIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export enum SessionOrigin {
  /** A test session run by a user, an API token or anonymously. */
  RUN = 'RUN',
  /** Opened by trackActivities: a visit that ends after the session gap of inactivity. */
  TRACKED = 'TRACKED'
}

export enum SessionStatus {
  /** Accepted by a contributor, not yet recording. */
  ACCEPTED = 'ACCEPTED',
  /** A pending session that was canceled. */
  CANCELED = 'CANCELED',
  /** Finished by the contributor. */
  COMPLETED = 'COMPLETED',
  /** Not started or finished in time. */
  EXPIRED = 'EXPIRED',
  /** Put on hold because of a technical issue. */
  ON_HOLD = 'ON_HOLD',
  /** Waiting for a contributor. */
  PENDING = 'PENDING',
  /** The contributor reported a problem; the test must be fixed and restarted. */
  PROBLEM = 'PROBLEM',
  /** Canceled after a low rating or on request. */
  REFUNDED = 'REFUNDED',
  /** A live conversation session a contributor has reserved. */
  RESERVED = 'RESERVED',
  /** Started, not yet completed. */
  STARTED = 'STARTED',
  /** Uploaded; processing is under way. */
  UPLOADED = 'UPLOADED',
  /** The recording is uploading. */
  UPLOADING = 'UPLOADING'
}

/** Where signUpOrFirstSeen comes from. */
export enum SignUpSource {
  FIRST_SEEN = 'FIRST_SEEN',
  SIGN_UP = 'SIGN_UP'
}

/** Columns of the unique-users report. */
export enum UserColumn {
  COMPANY = 'COMPANY',
  COUNTRY = 'COUNTRY',
  EMAIL = 'EMAIL',
  EXCLUDED_FROM_TRAFFIC = 'EXCLUDED_FROM_TRAFFIC',
  FIRST_NAME = 'FIRST_NAME',
  FIRST_SEEN = 'FIRST_SEEN',
  LAST_NAME = 'LAST_NAME',
  LAST_SEEN = 'LAST_SEEN',
  PROPERTIES = 'PROPERTIES',
  ROLE = 'ROLE',
  SIGN_UP_DATE = 'SIGN_UP_DATE',
  TAGS = 'TAGS',
  USERNAME = 'USERNAME',
  USER_ID = 'USER_ID'
}

export type UserFilter = {
  companyIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  roles?: InputMaybe<Array<Role>>;
  /** Case-insensitive text in first name, last name, email or username. */
  search?: InputMaybe<Scalars['String']['input']>;
};

export enum WebhookEvent {
  /** `export.completed`: an export finished; fetch its `url` with `export(id)`. */
  EXPORT_COMPLETED = 'EXPORT_COMPLETED',
  /** `export.failed`: an export failed; `data.error` says why. */
  EXPORT_FAILED = 'EXPORT_FAILED'
}

export type ExportStateFragment = { __typename?: 'Export', id: string, status: ExportStatus, rowCount?: number | null, bytes?: number | null, sha256?: string | null, fileName: string, url?: string | null, urlExpiresAt?: string | null, error?: string | null };

export type RequestSessionsExportMutationVariables = Exact<{
  filter?: InputMaybe<SessionFilter>;
  columns?: InputMaybe<Array<SessionColumn> | SessionColumn>;
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
}>;


export type RequestSessionsExportMutation = { __typename?: 'Mutation', exportSessions: { __typename?: 'Export', id: string, status: ExportStatus, rowCount?: number | null, bytes?: number | null, sha256?: string | null, fileName: string, url?: string | null, urlExpiresAt?: string | null, error?: string | null } };

export type ExportStateQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ExportStateQuery = { __typename?: 'Query', export?: { __typename?: 'Export', id: string, status: ExportStatus, rowCount?: number | null, bytes?: number | null, sha256?: string | null, fileName: string, url?: string | null, urlExpiresAt?: string | null, error?: string | null } | null };

export type RegisterExportWebhookMutationVariables = Exact<{
  url: Scalars['String']['input'];
}>;


export type RegisterExportWebhookMutation = { __typename?: 'Mutation', createWebhookEndpoint: { __typename?: 'WebhookEndpointWithSecret', secret: string, endpoint: { __typename?: 'WebhookEndpoint', id: string } } };

export type RemoveExportWebhookMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RemoveExportWebhookMutation = { __typename?: 'Mutation', deleteWebhookEndpoint: string };

export type WhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoAmIQuery = { __typename?: 'Query', viewer: { __typename?: 'Viewer', role: Role } };

export const ExportStateFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"urlExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportStateFragment, unknown>;
export const RequestSessionsExportDocument = {"__meta__":{"hash":"348aa1d144ea677c178147a6f264f5f7ef8a26823530af2d85589d50f6b41890"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSessionsExport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SessionFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"columns"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SessionColumn"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"columns"},"value":{"kind":"Variable","name":{"kind":"Name","value":"columns"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportState"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"urlExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<RequestSessionsExportMutation, RequestSessionsExportMutationVariables>;
export const ExportStateDocument = {"__meta__":{"hash":"69889c91ff65dae47f92f7c0d8bda2a43fe1e46a04fc6748eb6ac7f6927d4ea0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportState"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"export"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportState"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"urlExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportStateQuery, ExportStateQueryVariables>;
export const RegisterExportWebhookDocument = {"__meta__":{"hash":"dde4fbb17bf1ac9683ae56884e9f104eece1e04b7748395e7ca15e60da55ea34"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterExportWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"url"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"url"},"value":{"kind":"Variable","name":{"kind":"Name","value":"url"}}},{"kind":"Argument","name":{"kind":"Name","value":"events"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"EXPORT_COMPLETED"},{"kind":"EnumValue","value":"EXPORT_FAILED"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<RegisterExportWebhookMutation, RegisterExportWebhookMutationVariables>;
export const RemoveExportWebhookDocument = {"__meta__":{"hash":"f0d83026c39c847ecfbb4dcf283e02e298ee8ccd65a4e597bc1b6baad8f7b05b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveExportWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RemoveExportWebhookMutation, RemoveExportWebhookMutationVariables>;
export const WhoAmIDocument = {"__meta__":{"hash":"f75b555e5b50e774537d6d724ab54566632238393ae59f797a000142e768a2df"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WhoAmI"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<WhoAmIQuery, WhoAmIQueryVariables>;