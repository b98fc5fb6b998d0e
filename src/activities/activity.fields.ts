import { fieldColumns } from "../access";
import { Activity } from "./activity.entity";

/** What each computed Activity field reads (src/access/projection.ts); column fields read themselves. */
export const activityFields = fieldColumns(Activity, {
  user: ["userId"],
  company: ["companyId"],
  session: ["sessionId"],
});
