import { Role } from "./role";

/** Who is asking. Every data access takes one; there is no unscoped read path for resolvers. */
export interface Viewer {
  organizationId: string;
  userId: string;
  /** The viewer's company, for the "own company" rule of non-admins. */
  companyId: string | null;
  /** Effective role: an API token never acts above its owner. */
  role: Role;
  authenticatedBy: "API_TOKEN" | "JWT";
  apiTokenId: string | null;
}

const rank: Record<Role, number> = { [Role.MEMBER]: 0, [Role.DEVELOPER]: 1, [Role.ADMIN]: 2 };

/** The lower of two roles. */
export function lowerRole(a: Role, b: Role): Role {
  return rank[a] <= rank[b] ? a : b;
}
