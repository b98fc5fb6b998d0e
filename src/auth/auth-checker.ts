import type { AuthCheckerFn } from "type-graphql";
import type { Role } from "../access";
import { ForbiddenError, UnauthenticatedError } from "../shared/errors";
import type { AuthenticatedContext } from "./current-scope";

/**
 * `@Authorized()` means "any authenticated caller", `@Authorized(Role.ADMIN)` narrows it.
 * Throws rather than returning false so the client gets our stable codes and messages.
 */
export const authChecker: AuthCheckerFn<AuthenticatedContext, Role> = ({ context }, roles) => {
  if (!context.scope) throw new UnauthenticatedError();
  if (roles.length > 0 && !roles.includes(context.scope.viewer.role)) throw new ForbiddenError();
  return true;
};
