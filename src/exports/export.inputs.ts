import { Field, InputType } from "type-graphql";
import { ValidateNested } from "class-validator";
import { SessionFilter } from "../sessions";
import { ActivityFilter } from "../activities";
import { UserFilter } from "../users";

@InputType({ description: "How the CSV is written." })
export class ExportOptions {
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description:
      "Prefix text cells that start with =, +, -, @, a tab or a carriage return with an apostrophe, so spreadsheets show them as text instead of running them. Default true; set false for machine consumers that need the raw values.",
  })
  neutralizeFormulas?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "Start the file with a UTF-8 byte-order mark (EF BB BF), so Excel opens it as UTF-8 and shows \"Zoë\" rather than \"ZoÃ«\". Default false. `bytes` and `sha256` include it.",
  })
  bom?: boolean;
}

@InputType({ description: "The filter of the kind previewed: set at most the one field that matches `kind` (none: no filter)." })
export class ExportPreviewFilter {
  @Field(() => SessionFilter, { nullable: true, description: "For SESSIONS: as `sessions(filter)` and `exportSessions(filter)`." })
  @ValidateNested()
  sessions?: SessionFilter | null;

  @Field(() => ActivityFilter, { nullable: true, description: "For ACTIVITIES: as `activities(filter)` and `exportActivities(filter)`." })
  @ValidateNested()
  activities?: ActivityFilter | null;

  @Field(() => UserFilter, { nullable: true, description: "For USERS: as `users(filter)` and `exportUsers(filter)`." })
  @ValidateNested()
  users?: UserFilter | null;
}
