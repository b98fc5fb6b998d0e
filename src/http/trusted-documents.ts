/**
 * Trusted documents (TRUSTED_DOCUMENTS): which GraphQL documents callers below ADMIN may run.
 *
 * The manifest (TRUSTED_DOCUMENTS_MANIFEST, written by codegen's client preset from our own
 * clients' documents: examples/generated/persisted-documents.json) maps the SHA-256 of each
 * document's text to the text. A request is *trusted* when it names a manifest document by hash
 * in Apollo's persisted-query extension (`extensions.persistedQuery`, version 1,
 * `sha256Hash`); the text may be left out (the gateway fills it in) or sent along (Apollo then
 * checks that it hashes to that value).
 *
 * - `off`: nothing changes (Apollo's automatic persisted queries as before).
 * - `log`: manifest hashes are served; untrusted requests from callers below ADMIN run, and are
 *   counted and logged (at most one line per interval, with the count it stands for): what
 *   `enforce` would refuse.
 * - `enforce`: untrusted requests from callers below ADMIN (and without credentials) are refused
 *   with DOCUMENT_NOT_TRUSTED (403) before their document is parsed. Admins keep Sandbox: any
 *   document, any text.
 *
 * The check runs in `requestDidStart`, before Apollo looks at the persisted-query extension, so
 * automatic persisted queries are no way around it: registering a new document (hash and text)
 * and running one an admin registered earlier (hash only) are both untrusted.
 */
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import { ConfigError } from "../config/config";
import { Role } from "../access";
import type { RequestContext } from "../graphql";
import { CodedError, ErrorCode } from "../shared/errors";
import { FaultLog } from "../shared/fault-log";
import type { Logger } from "../shared/logger";

export const TRUSTED_DOCUMENTS_MODES = ["off", "log", "enforce"] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

export class DocumentNotTrustedError extends CodedError {
  constructor(message: string) {
    super(ErrorCode.DOCUMENT_NOT_TRUSTED, message, {}, 403);
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Reads a persisted-documents manifest (`{ "sha256:<hex>" | "<hex>": text }`) into hash → text.
 * Throws ConfigError when the file is missing or malformed, or a key is not its text's SHA-256
 * (a client sends that hash, so a wrong key could never match).
 */
export function loadTrustedDocuments(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path.resolve(file), "utf8"));
  } catch (error) {
    throw new ConfigError(`TRUSTED_DOCUMENTS_MANIFEST ${file} cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ConfigError(`TRUSTED_DOCUMENTS_MANIFEST ${file} must be a JSON object of hash → document`);
  const documents = new Map<string, string>();
  for (const [key, text] of Object.entries(parsed)) {
    const hash = key.replace(/^sha256:/, "");
    if (typeof text !== "string" || !SHA256_HEX.test(hash) || hashOf(text) !== hash) {
      throw new ConfigError(`TRUSTED_DOCUMENTS_MANIFEST ${file}: entry ${key} is not a document keyed by the SHA-256 of its text`);
    }
    documents.set(hash, text);
  }
  return documents;
}

const STAND_IN = "{ __typename }";

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex");

export interface TrustedDocumentsOptions {
  mode: TrustedDocumentsMode;
  /** hash → text (loadTrustedDocuments). */
  documents: Map<string, string>;
  logger: Logger;
  /** Shortest time between two log lines about untrusted documents (default 10 s). */
  logIntervalMs?: number;
}

export interface TrustedDocuments {
  readonly mode: TrustedDocumentsMode;
  /** Untrusted requests from callers below ADMIN since start: run (`log`) or refused (`enforce`). */
  readonly untrusted: number;
  plugin: ApolloServerPlugin<RequestContext>;
}

export function trustedDocuments({ mode, documents, logger, logIntervalMs }: TrustedDocumentsOptions): TrustedDocuments {
  const untrustedLog = new FaultLog(logger, mode === "enforce" ? "untrusted document refused" : "untrusted document (TRUSTED_DOCUMENTS=log)", logIntervalMs);
  const state = {
    mode,
    untrusted: 0,
    plugin: {
      async requestDidStart({ request, contextValue }) {
        if (mode === "off") return undefined;
        const persisted = request.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
        const hash = persisted?.version === 1 && typeof persisted.sha256Hash === "string" ? persisted.sha256Hash : undefined;
        const trusted = hash !== undefined ? documents.get(hash) : undefined;
        if (trusted !== undefined) {
          // Served by hash: Apollo checks any text sent along against it.
          request.query ??= trusted;
          return undefined;
        }
        const role = contextValue.scope?.viewer.role;
        if (role === Role.ADMIN) return undefined;
        state.untrusted++;
        untrustedLog.note({
          role: role ?? "anonymous",
          operationName: request.operationName ?? null,
          sha256: hash ?? (typeof request.query === "string" ? hashOf(request.query) : null),
          sentBy: hash !== undefined ? "hash" : "text",
        });
        if (mode === "log") return undefined;
        // Refused. An error thrown here would be answered as a 500 (Apollo treats a failing
        // requestDidStart as a crash), so the request goes on with a stand-in document and no
        // persisted-query extension (nothing of the caller's is parsed, looked up or
        // registered), and is refused where Apollo answers a plugin's error as the caller's.
        const refusal = new DocumentNotTrustedError(
          hash !== undefined
            ? "This document is not in the gateway's trusted documents; callers below ADMIN may run only those."
            : "Callers below ADMIN may run only trusted documents, sent by hash in extensions.persistedQuery (sha256Hash, version 1).",
        );
        request.query = STAND_IN;
        request.operationName = undefined;
        request.extensions = { ...request.extensions, persistedQuery: undefined };
        return {
          async didResolveOperation() {
            throw refusal;
          },
        };
      },
    } satisfies ApolloServerPlugin<RequestContext>,
  };
  return state;
}
