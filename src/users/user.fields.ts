import { fieldColumns } from "../access";
import { User } from "./user.entity";

/** What each computed User field reads (src/access/projection.ts); column fields read themselves. */
export const userFields = fieldColumns(User, {
  email: ["id", "email"],
  name: ["firstName", "lastName"],
  company: ["companyId"],
  signUpOrFirstSeen: ["signedUpAt", "firstSeenAt"],
  signUpOrFirstSeenAt: ["signedUpAt", "firstSeenAt"],
  sessions: ["id"],
  activities: ["id"],
  contentProgress: ["id"],
  profile: ["id"],
});
