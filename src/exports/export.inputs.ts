import { Field, InputType } from "type-graphql";

@InputType({ description: "How the CSV is written." })
export class ExportOptions {
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description:
      "Prefix text cells that start with =, +, -, @, a tab or a carriage return with an apostrophe, so spreadsheets show them as text instead of running them. Default true; set false for machine consumers that need the raw values.",
  })
  neutralizeFormulas?: boolean;
}
