import type { WebhookRepository } from "./webhook.repository";

/** What the webhooks feature needs from a request. */
export interface WebhooksScope {
  webhooks: WebhookRepository;
}
