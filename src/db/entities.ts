import { Organization } from "../organizations/organization.entity";
import { Company } from "../companies/company.entity";
import { User } from "../users/user.entity";
import { Session } from "../sessions/session.entity";
import { Attachment } from "../sessions/attachment.entity";
import { Activity } from "../activities/activity.entity";
import { ContentProgress } from "../activities/content-progress.entity";
import { ApiToken } from "../auth/api-token.entity";
import { Export } from "../exports/export.entity";

/** Every entity, for the data source and the migration generator. */
export const entities = [Organization, Company, User, Session, Attachment, Activity, ContentProgress, ApiToken, Export];
