import { Arg, Args, Authorized, Field, ID, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Role } from "../access";
import { CurrentScope } from "../auth";
import { ConnectionType, PageArgs } from "../shared/connection";
import { WebhookDelivery } from "./webhook-delivery.entity";
import { WebhookEndpoint, WebhookEvent } from "./webhook-endpoint.entity";
import type { WebhooksScope } from "./webhooks.scope";

export const WebhookEndpointConnection = ConnectionType(WebhookEndpoint, "WebhookEndpoint");
export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, "WebhookDelivery");

@ObjectType({ simpleResolvers: true, description: "An endpoint with its signing secret: shown this once (create, rotate), never again." })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field({ description: "The Standard Webhooks secret (`whsec_…`) that signs every delivery; verify `webhook-signature` with it." })
  secret!: string;
}

/** Admins only: webhooks are the organization's integration settings. */
@Resolver()
export class WebhookResolver {
  @Authorized(Role.ADMIN)
  @Query(() => WebhookEndpointConnection, { description: "The organization's webhook endpoints, newest first." })
  webhookEndpoints(@Args() page: PageArgs, @CurrentScope() scope: WebhooksScope) {
    return scope.webhooks.endpointPage(page);
  }

  @Authorized(Role.ADMIN)
  @Query(() => WebhookDeliveryConnection, { description: "Every delivery attempt, newest first: of one endpoint, or of all the organization's." })
  webhookDeliveries(
    @Arg("endpointId", () => ID, { nullable: true }) endpointId: string | null,
    @Args() page: PageArgs,
    @CurrentScope() scope: WebhooksScope,
  ) {
    return scope.webhooks.deliveryPage(endpointId, page);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookEndpointWithSecret, {
    description: "Registers an endpoint for `events`. The URL must resolve to public addresses (WEBHOOK_ALLOW_PRIVATE_NETWORKS relaxes it); otherwise BAD_USER_INPUT.",
  })
  createWebhookEndpoint(
    @Arg("url") url: string,
    @Arg("events", () => [WebhookEvent]) events: WebhookEvent[],
    @CurrentScope() scope: WebhooksScope,
  ) {
    return scope.webhooks.create({ url, events });
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookEndpointWithSecret, { description: "A new signing secret, used from the next attempt on; the old one stops at once." })
  rotateWebhookEndpointSecret(@Arg("id", () => ID) id: string, @CurrentScope() scope: WebhooksScope) {
    return scope.webhooks.rotateSecret(id);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookEndpoint, { description: "Stops deliveries to the endpoint; events meanwhile are not owed to it." })
  disableWebhookEndpoint(@Arg("id", () => ID) id: string, @CurrentScope() scope: WebhooksScope) {
    return scope.webhooks.setEnabled(id, false);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookEndpoint, { description: "Delivers to the endpoint again (also after it was disabled for failing), with its run of failures reset." })
  enableWebhookEndpoint(@Arg("id", () => ID) id: string, @CurrentScope() scope: WebhooksScope) {
    return scope.webhooks.setEnabled(id, true);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ID, { description: "Deletes the endpoint, what it is still owed, and its delivery log; answers its id." })
  deleteWebhookEndpoint(@Arg("id", () => ID) id: string, @CurrentScope() scope: WebhooksScope) {
    return scope.webhooks.delete(id);
  }
}
