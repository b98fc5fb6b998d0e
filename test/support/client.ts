import { print, type ExecutionResult } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

export interface GraphQLResponse<T> {
  status: number;
  body: ExecutionResult<T> & { extensions?: { sqlStatements?: number } };
  headers: Headers;
}

/** A GraphQL client over real HTTP, bound to one bearer token (or none). */
export class GraphQLClient {
  constructor(
    readonly url: string,
    readonly token: string | null,
  ) {}

  async request<T, V extends Record<string, unknown>>(
    document: TypedDocumentNode<T, V>,
    ...[variables]: V extends Record<string, never> ? [] : [V] | []
  ): Promise<GraphQLResponse<T>> {
    return await this.raw<T>({ query: print(document), variables });
  }

  async raw<T = Record<string, unknown>>(body: unknown): Promise<GraphQLResponse<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as GraphQLResponse<T>["body"], headers: res.headers };
  }

  /** The data of a response that must have no errors. */
  async data<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
    const { body } = await this.raw<T>({ query: print(document), variables });
    if (body.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  }
}
