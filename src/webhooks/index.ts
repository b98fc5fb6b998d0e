export { WebhookEndpoint, WebhookEvent } from "./webhook-endpoint.entity";
export { WebhookDelivery } from "./webhook-delivery.entity";
export { WebhookRepository, type WebhookSettings } from "./webhook.repository";
export { WebhookResolver, WebhookEndpointConnection, WebhookDeliveryConnection, WebhookEndpointWithSecret } from "./webhook.resolver";
export { WebhookDispatcher, type WebhookDispatcherOptions } from "./webhook.dispatcher";
export type { WebhooksScope } from "./webhooks.scope";
