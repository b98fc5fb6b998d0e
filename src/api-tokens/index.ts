export { ApiToken } from "./api-token.entity";
export { ApiTokenRepository, MAX_TOKEN_LABEL_LENGTH } from "./api-token.repository";
export { ApiTokenResolver, ApiTokenConnection, CreatedApiToken } from "./api-token.resolver";
export { issueApiToken, type IssuedApiToken } from "./issue-api-token";
export type { ApiTokensScope } from "./api-tokens.scope";
