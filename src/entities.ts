import { Organization } from "./organizations";
import { Company } from "./companies";
import { User } from "./users";
import { Session, Attachment } from "./sessions";
import { Activity, ContentProgress } from "./activities";
import { ApiToken } from "./api-tokens";
import { WebhookDelivery, WebhookEndpoint } from "./webhooks";
import { Export } from "./exports";

/** Every entity, for the data source and the migration generator. */
export const entities = [Organization, Company, User, Session, Attachment, Activity, ContentProgress, ApiToken, Export, WebhookEndpoint, WebhookDelivery];
