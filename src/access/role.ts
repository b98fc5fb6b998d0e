import { registerEnumType } from "type-graphql";

export enum Role {
  ADMIN = "ADMIN",
  DEVELOPER = "DEVELOPER",
  MEMBER = "MEMBER",
}

registerEnumType(Role, {
  name: "Role",
  description: "ADMIN reads the whole organization; DEVELOPER and MEMBER read their own rows.",
});
