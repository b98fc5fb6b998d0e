/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment ExportState on Export {\n  id\n  status\n  rowCount\n  bytes\n  sha256\n  fileName\n  url\n  urlExpiresAt\n  error\n}\n\nmutation RequestSessionsExport($filter: SessionFilter, $columns: [SessionColumn!], $idempotencyKey: String) {\n  exportSessions(\n    filter: $filter\n    columns: $columns\n    idempotencyKey: $idempotencyKey\n  ) {\n    ...ExportState\n  }\n}\n\nquery ExportState($id: ID!) {\n  export(id: $id) {\n    ...ExportState\n  }\n}\n\nmutation RegisterExportWebhook($url: String!) {\n  createWebhookEndpoint(url: $url, events: [EXPORT_COMPLETED, EXPORT_FAILED]) {\n    secret\n    endpoint {\n      id\n    }\n  }\n}\n\nmutation RemoveExportWebhook($id: ID!) {\n  deleteWebhookEndpoint(id: $id)\n}\n\nquery WhoAmI {\n  viewer {\n    role\n  }\n}": typeof types.ExportStateFragmentDoc,
};
const documents: Documents = {
    "fragment ExportState on Export {\n  id\n  status\n  rowCount\n  bytes\n  sha256\n  fileName\n  url\n  urlExpiresAt\n  error\n}\n\nmutation RequestSessionsExport($filter: SessionFilter, $columns: [SessionColumn!], $idempotencyKey: String) {\n  exportSessions(\n    filter: $filter\n    columns: $columns\n    idempotencyKey: $idempotencyKey\n  ) {\n    ...ExportState\n  }\n}\n\nquery ExportState($id: ID!) {\n  export(id: $id) {\n    ...ExportState\n  }\n}\n\nmutation RegisterExportWebhook($url: String!) {\n  createWebhookEndpoint(url: $url, events: [EXPORT_COMPLETED, EXPORT_FAILED]) {\n    secret\n    endpoint {\n      id\n    }\n  }\n}\n\nmutation RemoveExportWebhook($id: ID!) {\n  deleteWebhookEndpoint(id: $id)\n}\n\nquery WhoAmI {\n  viewer {\n    role\n  }\n}": types.ExportStateFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ExportState on Export {\n  id\n  status\n  rowCount\n  bytes\n  sha256\n  fileName\n  url\n  urlExpiresAt\n  error\n}\n\nmutation RequestSessionsExport($filter: SessionFilter, $columns: [SessionColumn!], $idempotencyKey: String) {\n  exportSessions(\n    filter: $filter\n    columns: $columns\n    idempotencyKey: $idempotencyKey\n  ) {\n    ...ExportState\n  }\n}\n\nquery ExportState($id: ID!) {\n  export(id: $id) {\n    ...ExportState\n  }\n}\n\nmutation RegisterExportWebhook($url: String!) {\n  createWebhookEndpoint(url: $url, events: [EXPORT_COMPLETED, EXPORT_FAILED]) {\n    secret\n    endpoint {\n      id\n    }\n  }\n}\n\nmutation RemoveExportWebhook($id: ID!) {\n  deleteWebhookEndpoint(id: $id)\n}\n\nquery WhoAmI {\n  viewer {\n    role\n  }\n}"): (typeof documents)["fragment ExportState on Export {\n  id\n  status\n  rowCount\n  bytes\n  sha256\n  fileName\n  url\n  urlExpiresAt\n  error\n}\n\nmutation RequestSessionsExport($filter: SessionFilter, $columns: [SessionColumn!], $idempotencyKey: String) {\n  exportSessions(\n    filter: $filter\n    columns: $columns\n    idempotencyKey: $idempotencyKey\n  ) {\n    ...ExportState\n  }\n}\n\nquery ExportState($id: ID!) {\n  export(id: $id) {\n    ...ExportState\n  }\n}\n\nmutation RegisterExportWebhook($url: String!) {\n  createWebhookEndpoint(url: $url, events: [EXPORT_COMPLETED, EXPORT_FAILED]) {\n    secret\n    endpoint {\n      id\n    }\n  }\n}\n\nmutation RemoveExportWebhook($id: ID!) {\n  deleteWebhookEndpoint(id: $id)\n}\n\nquery WhoAmI {\n  viewer {\n    role\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;