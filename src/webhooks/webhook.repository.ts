import { randomBytes } from "node:crypto";
import { anyOf, ScopedTable, type ListArgs, type ViewerAccess } from "../access";
import type { ConnectionValue, KeysetOrder } from "../shared/connection";
import { assertFound, BadUserInputError } from "../shared/errors";
import { WebhookDelivery } from "./webhook-delivery.entity";
import { WebhookEndpoint, WebhookEvent } from "./webhook-endpoint.entity";
import { checkWebhookTarget, parseWebhookUrl, WebhookTargetError } from "./webhook-targets";

const endpointOrder: KeysetOrder<WebhookEndpoint> = {
  name: "webhookEndpoints", columns: ["created_at", "id"], direction: "DESC", types: ["timestamptz", "uuid"], values: (e) => [e.createdAt, e.id],
};
const deliveryOrder: KeysetOrder<WebhookDelivery> = {
  name: "webhookDeliveries", columns: ["attempted_at", "id"], direction: "DESC", types: ["timestamptz", "uuid"], values: (d) => [d.attemptedAt, d.id],
};

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

export interface WebhookSettings {
  allowPrivateNetworks: boolean;
  /** Refuse plain http (production): a delivery's payload and signature travel in the clear otherwise. */
  requireHttps: boolean;
}

/** The organization's webhook endpoints and their delivery log, for its admins (policy: admins only). */
export class WebhookRepository {
  readonly endpoints: ScopedTable<WebhookEndpoint>;
  readonly deliveries: ScopedTable<WebhookDelivery>;

  constructor(
    access: ViewerAccess,
    private readonly settings: WebhookSettings,
  ) {
    this.endpoints = new ScopedTable(access, { entity: WebhookEndpoint, table: "webhook_endpoints", order: endpointOrder });
    this.deliveries = new ScopedTable(access, { entity: WebhookDelivery, table: "webhook_deliveries", order: deliveryOrder });
  }

  endpointPage(args: ListArgs): Promise<ConnectionValue<WebhookEndpoint>> {
    return this.endpoints.page([], args);
  }

  /** Newest attempt first; of one endpoint when `endpointId` is given. */
  deliveryPage(endpointId: string | null, args: ListArgs): Promise<ConnectionValue<WebhookDelivery>> {
    return this.deliveries.page(endpointId ? [anyOf("endpoint_id", [endpointId], "uuid")!] : [], args);
  }

  async create(input: { url: string; events: WebhookEvent[] }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const url = await this.checkedUrl(input.url);
    const events = [...new Set(input.events)];
    if (events.length === 0) throw new BadUserInputError("events must name at least one event.", { argument: "events" });
    const secret = newSecret();
    const endpoint = await this.endpoints.insert({ url, events, secret });
    return { endpoint, secret };
  }

  /** A new secret, effective for the next attempt; the old one stops signing at once. */
  async rotateSecret(id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const secret = newSecret();
    const endpoint = assertFound(await this.endpoints.update(id, (p) => `secret = ${p.add(secret)}, secret_rotated_at = now()`), "Webhook endpoint", id);
    return { endpoint, secret };
  }

  setEnabled(id: string, enabled: boolean): Promise<WebhookEndpoint> {
    return this.endpoints
      .update(id, (p) => (enabled
        ? "enabled = true, disabled_reason = NULL, consecutive_failures = 0"
        : `enabled = false, disabled_reason = ${p.add("Disabled by an admin.")}`))
      .then((endpoint) => assertFound(endpoint, "Webhook endpoint", id));
  }

  /** Deletes the endpoint with its owed messages and its delivery log. */
  async delete(id: string): Promise<string> {
    assertFound(await this.endpoints.delete(id), "Webhook endpoint", id);
    return id;
  }

  private async checkedUrl(text: string): Promise<string> {
    try {
      const url = parseWebhookUrl(text.trim());
      if (this.settings.requireHttps && url.protocol !== "https:") throw new WebhookTargetError("url must be https in production.");
      await checkWebhookTarget(url, this.settings.allowPrivateNetworks);
      return url.toString();
    } catch (error) {
      if (error instanceof WebhookTargetError) throw new BadUserInputError(error.message, { argument: "url" });
      throw error;
    }
  }
}
