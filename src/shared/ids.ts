import { BadUserInputError } from "./errors";
import { isUuid } from "./sql";

/** Checks a list of ids from client input; a malformed one is BAD_USER_INPUT, never a database error. */
export function validIds(ids: string[], argument: string): string[] {
  const bad = ids.find((id) => !isUuid(id));
  if (bad !== undefined) throw new BadUserInputError(`${argument} contains an id that is not a UUID.`, { argument });
  return ids;
}
