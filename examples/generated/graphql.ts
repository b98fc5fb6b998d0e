/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Whole days, both ends included. */
export type DateRangeInput = {
  /** First day included. */
  from?: string | null | undefined;
  /** Last day included. */
  to?: string | null | undefined;
};

export type ExportStatus =
  /** Canceled with `cancelExport`; no file is kept. `retryExport` runs it again. */
  | 'CANCELED'
  /** The file is complete and downloadable through `url`. */
  | 'COMPLETED'
  /** The file passed its retention and was deleted. */
  | 'EXPIRED'
  /** The job failed; `error` says why. No file is downloadable. */
  | 'FAILED'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** Rows are being written; processedRows shows progress. */
  | 'RUNNING';

/** ADMIN reads the whole organization; DEVELOPER and MEMBER read their own rows. */
export type Role =
  | 'ADMIN'
  | 'DEVELOPER'
  | 'MEMBER';

/** Columns of a sessions export. */
export type SessionColumn =
  | 'ACTUAL_DURATION'
  | 'APPROVER_EMAIL'
  | 'APPROVER_NAME'
  | 'APP_BUILD'
  | 'APP_GROUP'
  | 'APP_ID'
  | 'APP_NAME'
  | 'BOOKED_DURATION'
  | 'BROWSER_VERSION'
  | 'COMPLETED_DATE'
  | 'CONTRIBUTOR_USERNAME'
  | 'CREATOR_EMAIL'
  | 'CREATOR_NAME'
  | 'DEVICE_MODEL'
  | 'DEVICE_TYPE'
  | 'DURATION'
  | 'LAUNCHER_EMAIL'
  | 'LAUNCHER_NAME'
  | 'LAUNCH_DATE'
  | 'NETWORK_TYPE'
  | 'OPERATING_SYSTEM'
  | 'OS_VERSION'
  | 'QUEUE_TIME'
  | 'REMOVED'
  | 'REMOVED_REASON'
  | 'RUN_BY'
  | 'SESSION_ID'
  | 'SHORT_TEST'
  | 'START_DATE'
  | 'STATUS'
  | 'TEMPLATE'
  | 'TEST_ID'
  | 'TEST_NAME'
  | 'TEST_TYPE'
  | 'UNITS_PENDING'
  | 'UNITS_USED'
  | 'WORKSPACE';

/** Every field narrows the list; an export given the same filter holds the same rows. */
export type SessionFilter = {
  /** Launch date range, whole days, both ends included. */
  dateRange?: DateRangeInput | null | undefined;
  /** Device types, e.g. "iPhone 15". */
  deviceTypes?: Array<string> | null | undefined;
  /** Include sessions removed from the dashboard (replaced, refunded, hidden). */
  includeRemoved?: boolean | null | undefined;
  /** OS versions, e.g. "17.4". */
  osVersions?: Array<string> | null | undefined;
  /** Only sessions with session units pending above zero. */
  pendingUnitsOnly?: boolean | null | undefined;
  /** Case-insensitive text in app id, app name, the runner's username, or who ran it as the row shows it (the user's email, an API token's label, an anonymous run's label); % and _ match literally. */
  search?: string | null | undefined;
  statuses?: Array<SessionStatus> | null | undefined;
  /** IANA time zone the date range is read in; UTC by default. */
  timeZone?: string | null | undefined;
  /** Sessions of these users (admins; others only ever see their own). */
  userIds?: Array<string | number> | null | undefined;
};

export type SessionStatus =
  /** Accepted by a contributor, not yet recording. */
  | 'ACCEPTED'
  /** A pending session that was canceled. */
  | 'CANCELED'
  /** Finished by the contributor. */
  | 'COMPLETED'
  /** Not started or finished in time. */
  | 'EXPIRED'
  /** Put on hold because of a technical issue. */
  | 'ON_HOLD'
  /** Waiting for a contributor. */
  | 'PENDING'
  /** The contributor reported a problem; the test must be fixed and restarted. */
  | 'PROBLEM'
  /** Canceled after a low rating or on request. */
  | 'REFUNDED'
  /** A live conversation session a contributor has reserved. */
  | 'RESERVED'
  /** Started, not yet completed. */
  | 'STARTED'
  /** Uploaded; processing is under way. */
  | 'UPLOADED'
  /** The recording is uploading. */
  | 'UPLOADING';

export type ExportStateFragment = { id: string, status: ExportStatus, rowCount: number | null, bytes: number | null, sha256: string | null, fileName: string, url: string | null, urlExpiresAt: string | null, error: string | null };

export type RequestSessionsExportMutationVariables = Exact<{
  filter?: SessionFilter | null | undefined;
  columns?: Array<SessionColumn> | SessionColumn | null | undefined;
  idempotencyKey?: string | null | undefined;
}>;


export type RequestSessionsExportMutation = { exportSessions: { id: string, status: ExportStatus, rowCount: number | null, bytes: number | null, sha256: string | null, fileName: string, url: string | null, urlExpiresAt: string | null, error: string | null } };

export type ExportStateQueryVariables = Exact<{
  id: string | number;
}>;


export type ExportStateQuery = { export: { id: string, status: ExportStatus, rowCount: number | null, bytes: number | null, sha256: string | null, fileName: string, url: string | null, urlExpiresAt: string | null, error: string | null } | null };

export type RegisterExportWebhookMutationVariables = Exact<{
  url: string;
}>;


export type RegisterExportWebhookMutation = { createWebhookEndpoint: { secret: string, endpoint: { id: string } } };

export type RemoveExportWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveExportWebhookMutation = { deleteWebhookEndpoint: string };

export type WhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoAmIQuery = { viewer: { role: Role } };

export const ExportStateFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"urlExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportStateFragment, unknown>;
export const RequestSessionsExportDocument = {"__meta__":{"hash":"sha256:348aa1d144ea677c178147a6f264f5f7ef8a26823530af2d85589d50f6b41890"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestSessionsExport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SessionFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"columns"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SessionColumn"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"columns"},"value":{"kind":"Variable","name":{"kind":"Name","value":"columns"}}},{"kind":"Argument","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportState"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"urlExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<RequestSessionsExportMutation, RequestSessionsExportMutationVariables>;
export const ExportStateDocument = {"__meta__":{"hash":"sha256:69889c91ff65dae47f92f7c0d8bda2a43fe1e46a04fc6748eb6ac7f6927d4ea0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportState"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"export"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportState"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportState"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"bytes"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"urlExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportStateQuery, ExportStateQueryVariables>;
export const RegisterExportWebhookDocument = {"__meta__":{"hash":"sha256:dde4fbb17bf1ac9683ae56884e9f104eece1e04b7748395e7ca15e60da55ea34"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterExportWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"url"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"url"},"value":{"kind":"Variable","name":{"kind":"Name","value":"url"}}},{"kind":"Argument","name":{"kind":"Name","value":"events"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"EXPORT_COMPLETED"},{"kind":"EnumValue","value":"EXPORT_FAILED"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"endpoint"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<RegisterExportWebhookMutation, RegisterExportWebhookMutationVariables>;
export const RemoveExportWebhookDocument = {"__meta__":{"hash":"sha256:f0d83026c39c847ecfbb4dcf283e02e298ee8ccd65a4e597bc1b6baad8f7b05b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveExportWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWebhookEndpoint"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RemoveExportWebhookMutation, RemoveExportWebhookMutationVariables>;
export const WhoAmIDocument = {"__meta__":{"hash":"sha256:f75b555e5b50e774537d6d724ab54566632238393ae59f797a000142e768a2df"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WhoAmI"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<WhoAmIQuery, WhoAmIQueryVariables>;