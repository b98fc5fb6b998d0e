import { Field, InputType } from "type-graphql";
import { MaxLength } from "class-validator";

@InputType()
export class CompanyFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive text in the company name." })
  @MaxLength(200)
  search?: string;
}
