import { Field, ObjectType } from "type-graphql";
import { RunnerKind } from "./session-status";

@ObjectType({ simpleResolvers: true, description: "Who ran a session: a user (their email), an API token (its label) or an anonymous run (its label)." })
export class SessionRunner {
  @Field(() => RunnerKind) kind!: RunnerKind;
  @Field({ description: "The user's email, the API token's label, or the anonymous label." }) label!: string;
}
