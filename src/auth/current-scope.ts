import { createParameterDecorator } from "type-graphql";
import type { RequestContext, ViewerScope } from "../context";
import { UnauthenticatedError } from "../shared/errors";

/** The caller's viewer, repositories and loaders; every resolver reads data through it. */
export function CurrentScope() {
  return createParameterDecorator<RequestContext>(({ context }) => requireScope(context));
}

export function requireScope(context: RequestContext): ViewerScope {
  if (!context.scope) throw new UnauthenticatedError();
  return context.scope;
}
