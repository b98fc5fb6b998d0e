/**
 * A graphql-request client that sends our typed documents as trusted (persisted) documents:
 * by hash, in Apollo's persisted-query extension (`extensions.persistedQuery.sha256Hash`,
 * version 1), with the text only when the gateway asks for it.
 *
 * The hash is the one codegen wrote into the document (`__meta__.hash`, the client preset's
 * `persistedDocuments` option) and into examples/generated/persisted-documents.json: the
 * SHA-256 of the document text in that manifest. A gateway with TRUSTED_DOCUMENTS=log or
 * enforce knows the manifest and serves the hash at once; with TRUSTED_DOCUMENTS=off (the
 * default) Apollo's automatic persisted queries answer PERSISTED_QUERY_NOT_FOUND once per
 * document and gateway, and the retry carries the text, which the gateway then caches.
 */
import { ClientError, GraphQLClient, type RequestMiddleware } from "graphql-request";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import manifest from "./generated/persisted-documents.json";

const documents: Record<string, string> = manifest;

/** A generated document: typed, with the manifest hash codegen embedded. */
export type PersistedDocument<Result, Variables> = TypedDocumentNode<Result, Variables> & { __meta__?: { hash?: string } };

/** `extensions.code` of the first GraphQL error a request answered, if it answered one. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof ClientError)) return undefined;
  const code = error.response.errors?.[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

/** Moves the request's document into the persisted-query extension; `keepText` also sends the text. */
function persisted(keepText: boolean): RequestMiddleware {
  return (request) => {
    const body = JSON.parse(String(request.body)) as { query: string; [key: string]: unknown };
    const sha256Hash = hashOf(body.query);
    const { query, ...rest } = body;
    return { ...request, body: JSON.stringify({ ...rest, ...(keepText ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash } } }) };
  };
}

const hashByText = new Map(Object.entries(documents).map(([key, text]) => [text, key.replace(/^sha256:/, "")]));

function hashOf(text: string): string {
  const hash = hashByText.get(text);
  if (!hash) throw new Error("Only documents from examples/generated/persisted-documents.json are sent (run `npm run schema`).");
  return hash;
}

export class PersistedClient {
  private readonly byHash: GraphQLClient;
  private readonly withText: GraphQLClient;

  /** `endpoint`: the gateway's GraphQL URL; `token`: an API token or JWT. */
  constructor(endpoint: string, token: string) {
    const headers = { authorization: `Bearer ${token}` };
    this.byHash = new GraphQLClient(endpoint, { headers, requestMiddleware: persisted(false) });
    this.withText = new GraphQLClient(endpoint, { headers, requestMiddleware: persisted(true) });
  }

  /** Runs a generated document; throws graphql-request's ClientError when the answer carries errors. */
  async request<Result, Variables extends object>(document: PersistedDocument<Result, Variables>, variables: Variables): Promise<Result> {
    const hash = document.__meta__?.hash;
    const text = hash ? documents[hash] : undefined;
    if (!text) throw new Error("The document has no entry in examples/generated/persisted-documents.json (run `npm run schema`).");
    try {
      return await this.byHash.request<Result>(text, variables);
    } catch (error) {
      if (errorCode(error) !== "PERSISTED_QUERY_NOT_FOUND") throw error;
      return await this.withText.request<Result>(text, variables);
    }
  }
}
