export { createAuthenticator, type Authenticator } from "./authenticate";
export { AuthFailureLimiter } from "./auth-failure-limiter";
export { apiTokenCache } from "./api-token-cache";
export { authChecker } from "./auth-checker";
export { CurrentScope, requireScope, type AuthenticatedContext } from "./current-scope";
