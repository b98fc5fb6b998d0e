/** The direct path for page arguments accepts exactly what class-validator accepts. */
import { validate } from "class-validator";
import { PageArgs } from "../src/shared/connection";
import { isValidPage, validateArguments } from "../src/shared/validate-arguments";

const page = (first: number | null | undefined, after?: string) => Object.assign(new PageArgs(), { first, after });

describe("page arguments", () => {
  it.each([undefined, null, -1, 0, 1, 50, 499, 500, 501, 2 ** 31 - 1, -(2 ** 31)])("first = %p: same verdict as class-validator", async (first) => {
    const classValidator = (await validate(page(first), { skipMissingProperties: true, forbidUnknownValues: false })).length === 0;
    // The direct path only ever accepts; what it does not accept goes to class-validator.
    if (isValidPage(page(first))) expect(classValidator).toBe(true);
    else expect(classValidator).toBe(false);
    const rejected = await Promise.resolve(validateArguments(page(first, "cursor"), PageArgs, {} as never)).then(() => null, (error: Error) => error);
    expect(rejected === null).toBe(classValidator);
  });

  it("keeps class-validator's message for an invalid page", async () => {
    const error = await Promise.resolve(validateArguments(page(501), PageArgs, {} as never)).catch((e: { extensions: { validationErrors: { constraints: Record<string, string> }[] } }) => e);
    expect(JSON.stringify(error)).toContain("first must not be greater than 500");
  });

  it("sends a subclass of PageArgs through class-validator (it may add rules)", () => {
    class Narrow extends PageArgs {}
    expect(isValidPage(Object.assign(new Narrow(), { first: 10 }))).toBe(false);
  });
});
