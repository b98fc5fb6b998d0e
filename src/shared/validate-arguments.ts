/**
 * TypeGraphQL's argument validation (class-validator, unknown values allowed, missing
 * properties skipped), with two differences that matter on nested lists: class-validator is
 * imported once (TypeGraphQL resolves `require("class-validator")` on every call), and page
 * arguments, checked once per parent of every nested connection, are accepted directly when
 * `first` is within bounds. Anything else, and every invalid page, goes through class-validator,
 * so the errors stay exactly its messages.
 */
import { validateOrReject, type ValidatorOptions } from "class-validator";
import { ArgumentValidationError, type ValidatorFn } from "type-graphql";
import { MAX_PAGE_SIZE, PageArgs } from "./connection";

const OPTIONS: ValidatorOptions = { skipMissingProperties: true, forbidUnknownValues: false };

const isObject = (value: unknown): value is object => value !== null && typeof value === "object";

/** PageArgs (exactly: subclasses may add rules) whose `first`, an Int coerced by GraphQL, is absent or within [0, MAX_PAGE_SIZE]. */
export function isValidPage(value: object): boolean {
  if (value.constructor !== PageArgs) return false;
  const { first } = value as PageArgs;
  return first === undefined || first === null || (first >= 0 && first <= MAX_PAGE_SIZE);
}

export const validateArguments: ValidatorFn = async (value) => {
  if (!isObject(value) || isValidPage(value)) return;
  try {
    if (Array.isArray(value)) await Promise.all(value.filter(isObject).map((item) => validateOrReject(item, OPTIONS)));
    else await validateOrReject(value, OPTIONS);
  } catch (errors) {
    throw new ArgumentValidationError(errors as never);
  }
};
