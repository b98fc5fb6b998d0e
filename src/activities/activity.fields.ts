import { fieldColumns } from "../shared/projection";
import { Activity } from "./activity.entity";

/** What each computed Activity field reads (src/shared/projection.ts); column fields read themselves. */
export const activityFields = fieldColumns(Activity, {
  user: ["userId"],
  company: ["companyId"],
  session: ["sessionId"],
});
