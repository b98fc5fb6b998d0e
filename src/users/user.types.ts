import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum SignUpSource {
  SIGN_UP = "SIGN_UP",
  FIRST_SEEN = "FIRST_SEEN",
}
registerEnumType(SignUpSource, { name: "SignUpSource", description: "Where signUpOrFirstSeen comes from." });

@ObjectType({ simpleResolvers: true })
export class SignUpOrFirstSeen {
  @Field() at!: Date;
  @Field(() => SignUpSource) source!: SignUpSource;
}

/** What deleteUserData removed, counted in the same transaction that deleted it. */
@ObjectType({ simpleResolvers: true })
export class DeletedUserData {
  @Field(() => ID) userId!: string;
  @Field(() => Int, { description: "Sessions the user ran (with their attachments)." }) sessions!: number;
  @Field(() => Int) activities!: number;
  @Field(() => Int) attachments!: number;
  @Field(() => Int) apiTokens!: number;
  @Field(() => Int, { description: "Content progress markers." }) contentProgress!: number;
  @Field(() => Int, { description: "Exports that held only the user's data (their files are deleted too)." }) exports!: number;
  @Field(() => Int, { description: "Other users' sessions that named the user as creator, launcher, approver or canceler; those references are cleared." })
  sessionReferencesCleared!: number;
}
