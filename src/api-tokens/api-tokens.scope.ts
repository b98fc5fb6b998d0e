import type { ApiTokenRepository } from "./api-token.repository";

/** What the API-token feature needs from a request. */
export interface ApiTokensScope {
  apiTokens: ApiTokenRepository;
}
