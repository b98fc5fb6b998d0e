import { createParameterDecorator } from "type-graphql";
import type { Viewer } from "../access";
import { UnauthenticatedError } from "../shared/errors";

/**
 * What authentication leaves on every request's context: the caller's request scope, or null
 * without credentials. The scope's full type is composed above the features (src/graphql);
 * each feature reads it through its own interface (`@CurrentScope() scope: SessionsScope`).
 */
export interface AuthenticatedContext {
  scope: { readonly viewer: Viewer } | null;
}

/** The caller's request scope (viewer, repositories, loaders); every resolver reads data through it. */
export function CurrentScope() {
  return createParameterDecorator<AuthenticatedContext>(({ context }) => requireScope(context));
}

/** The request scope, or UNAUTHENTICATED for a request without credentials. */
export function requireScope<S = AuthenticatedContext["scope"]>(context: AuthenticatedContext): S {
  if (!context.scope) throw new UnauthenticatedError();
  return context.scope as S;
}
