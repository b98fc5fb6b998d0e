/**
 * What the schema reveals about itself. Unauthenticated callers get no "Did you mean …"
 * suggestions (they would map the schema field by field). With NODE_ENV=production,
 * introspection, and so Apollo Sandbox, is for authenticated ADMIN and DEVELOPER callers only;
 * elsewhere it stays open for local exploration.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { BREAK, visit, type DocumentNode } from "graphql";
import type { RequestContext } from "../graphql";
import { Role } from "../access";
import { ForbiddenError, UnauthenticatedError } from "../shared/errors";

/** Per parsed document (Apollo reuses the object for the same query text): a walk per request showed in profiles. */
const introspecting = new WeakMap<DocumentNode, boolean>();

function usesIntrospection(document: DocumentNode): boolean {
  const known = introspecting.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === "__schema" || node.name.value === "__type") {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  introspecting.set(document, found);
  return found;
}

const SUGGESTION = / ?Did you mean .*\?/g;

export function schemaDisclosurePlugin(options: { production: boolean }): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!options.production || !usesIntrospection(document)) return;
          const role = contextValue.scope?.viewer.role;
          if (role === Role.ADMIN || role === Role.DEVELOPER) return;
          if (!role) throw new UnauthenticatedError("Introspection needs an admin or developer token.");
          throw new ForbiddenError("Introspection is available to admins and developers only.", 403);
        },
        async didEncounterErrors({ errors, contextValue }) {
          if (contextValue.scope) return;
          for (const error of errors) error.message = error.message.replace(SUGGESTION, "");
        },
      };
    },
  };
}
