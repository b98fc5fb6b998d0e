export { createAuthenticator, type Authenticator } from "./authenticate";
export { AuthFailureLimiter, type AuthFailureLimiterOptions } from "./auth-failure-limiter";
export { listenForAuthEvents } from "./auth-events";
export { apiTokenCache } from "./api-token-cache";
export { authChecker } from "./auth-checker";
export { CurrentScope, requireScope, type AuthenticatedContext } from "./current-scope";
