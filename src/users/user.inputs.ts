import { Field, ID, InputType } from "type-graphql";
import { ArrayMaxSize, MaxLength } from "class-validator";
import { Role } from "../access";

@InputType()
export class UserFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive text in first name, last name, email or username." })
  @MaxLength(200)
  search?: string;

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(500)
  companyIds?: string[];

  @Field(() => [Role], { nullable: true })
  roles?: Role[];
}
