import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum SignUpSource {
  SIGN_UP = "SIGN_UP",
  FIRST_SEEN = "FIRST_SEEN",
}
registerEnumType(SignUpSource, { name: "SignUpSource", description: "Where signUpOrFirstSeen comes from." });

@ObjectType()
export class SignUpOrFirstSeen {
  @Field() at!: Date;
  @Field(() => SignUpSource) source!: SignUpSource;
}
