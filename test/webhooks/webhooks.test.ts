/**
 * Webhooks as an automation meets them: a real receiver on loopback gets export.completed and
 * export.failed, signed per Standard Webhooks (verified with the `standardwebhooks` package);
 * failed attempts are retried with growing delays under the same webhook-id; a receiver that
 * hangs is cut off and delays no other endpoint; an endpoint that keeps failing is disabled;
 * every attempt shows in webhookDeliveries; targets that are not public are refused; only an
 * organization's admins see or change its endpoints.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { insertRows } from "../../src/db/insert";
import { ErrorCode } from "../../src/shared/errors";
import { guardedLookup, isNonPublicAddress } from "../../src/webhooks/webhook-targets";
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  DisableWebhookEndpointDocument,
  EnableWebhookEndpointDocument,
  ExportByIdDocument,
  ExportSessionsDocument,
  RetryExportDocument,
  RotateWebhookEndpointSecretDocument,
  SessionColumn,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  WebhookEvent,
  type ExportFieldsFragment,
} from "../generated/graphql";
import { GraphQLClient } from "../support/client";
import { useDatabaseClient } from "../support/database";
import { finished } from "../support/exports";
import { startTestGateway } from "../support/gateway";
import { rowChanges } from "../support/rows";
import { describeScopedMutation } from "../support/scoped";
import { startReceiver, type Receiver } from "../support/webhook-receiver";
import { CALLERS, useWorld } from "../support/world";

jest.setTimeout(60_000);
const TIMEOUT_MS = 1500;
const METRICS_TOKEN = "webhook-metrics-token-0123456789";
const t = useWorld({ sessionsPerUser: 1, activitiesPerSession: 0 }, {
  webhookConcurrency: 4, webhookTimeoutMs: TIMEOUT_MS, webhookRetryLimit: 3, webhookDisableAfterFailures: 3, webhookAllowPrivateNetworks: true,
  metricsToken: METRICS_TOKEN,
});
const db = useDatabaseClient();
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});
// Every endpoint of the world's organizations hears every export of its organization: each test starts with none.
afterEach(async () => {
  await db().query(`DELETE FROM webhook_endpoints WHERE organization_id = ANY($1::uuid[])`, [[t.world.organizationId, t.world.otherOrganizationId]]);
});

const ALL_EVENTS = [WebhookEvent.EXPORT_COMPLETED, WebhookEvent.EXPORT_FAILED];

async function register(path: string, events = ALL_EVENTS) {
  const { createWebhookEndpoint } = await t.world.clients.asAdmin.data(CreateWebhookEndpointDocument, { url: receiver.url(path), events });
  return { id: createWebhookEndpoint.endpoint.id, secret: createWebhookEndpoint.secret };
}

const exportById = async (id: string) => (await t.world.clients.asAdmin.data(ExportByIdDocument, { id })).export!;

async function completedExport(): Promise<ExportFieldsFragment> {
  const { exportSessions } = await t.world.clients.asAdmin.data(ExportSessionsDocument, { columns: [SessionColumn.SESSION_ID] });
  const done = await finished(() => exportById(exportSessions.id));
  expect(done.status).toBe("COMPLETED");
  return done;
}

async function deliveries(endpointId: string, count: number) {
  for (const deadline = Date.now() + 20_000; ; ) {
    const webhookDeliveries = (await t.world.clients.asAdmin.data(WebhookDeliveriesDocument, { endpointId, first: 50 })).webhookDeliveries!;
    if (webhookDeliveries.nodes.length >= count) return [...webhookDeliveries.nodes].reverse(); // oldest first
    if (Date.now() > deadline) throw new Error(`${webhookDeliveries.nodes.length} of ${count} deliveries logged`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("delivery", () => {
  it("delivers export.completed once, signed per Standard Webhooks, and logs the attempt", async () => {
    const endpoint = await register("/completed");
    const done = await completedExport();
    const [request] = await receiver.waitFor("/completed", 1);
    // The receiver's check: the package verifies signature and timestamp, and parses the body.
    const payload = new Webhook(endpoint.secret).verify(request.body, request.headers);
    expect(payload).toMatchObject({
      type: "export.completed",
      data: { exportId: done.id, kind: "SESSIONS", status: "COMPLETED", rowCount: done.rowCount, bytes: done.bytes, sha256: done.sha256, error: null },
    });
    expect(() => new Webhook(endpoint.secret).verify(request.body.replace(done.id, randomUUID()), request.headers)).toThrow();
    expect(request.headers["content-type"]).toBe("application/json");

    const [attempt] = await deliveries(endpoint.id, 1);
    expect(attempt).toMatchObject({ messageId: request.headers["webhook-id"], eventType: WebhookEvent.EXPORT_COMPLETED, attempt: 1, succeeded: true, responseStatus: 200, error: null });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    await settle(1500);
    expect(receiver.received("/completed")).toHaveLength(1);
  });

  it("counts each attempt in /metrics by outcome, with its duration", async () => {
    const scrape = async () => {
      const text = await (await fetch(`${t.gateway.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      const read = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
      return {
        delivered: read(`sessiongraph_webhook_deliveries_total{outcome="delivered"}`),
        failed: read(`sessiongraph_webhook_deliveries_total{outcome="failed"}`),
        timed: read("sessiongraph_webhook_delivery_duration_seconds_count"),
      };
    };
    receiver.behave("/metered-fail", () => 500);
    const before = await scrape();
    await register("/metered-ok");
    await register("/metered-fail");
    await completedExport();
    await receiver.waitFor("/metered-ok", 1);
    await receiver.waitFor("/metered-fail", 1);
    await settle(300);
    const after = await scrape();
    expect(after.delivered - before.delivered).toBeGreaterThanOrEqual(1);
    expect(after.failed - before.failed).toBeGreaterThanOrEqual(1);
    expect(after.timed - before.timed).toBe(after.delivered - before.delivered + after.failed - before.failed);
  });

  it("tells an endpoint only the events it registered for: export.failed with the reason", async () => {
    const endpoint = await register("/failed-only", [WebhookEvent.EXPORT_FAILED]);
    await completedExport();
    // An export whose requester no longer exists fails with a reason when it runs.
    const [orphan] = await insertRows(t.gateway.dataSource.manager, "exports", [{
      organization_id: t.world.organizationId, requested_by_id: null, requester_role: "ADMIN", kind: "SESSIONS",
      columns: ["SESSION_ID"], file_name: "orphan.csv", status: "FAILED", error: "x",
    }]);
    await t.world.clients.asAdmin.data(RetryExportDocument, { id: orphan });
    const failed = await finished(() => exportById(orphan));
    expect(failed.status).toBe("FAILED");
    const [request] = await receiver.waitFor("/failed-only", 1);
    expect(new Webhook(endpoint.secret).verify(request.body, request.headers)).toMatchObject({
      type: "export.failed", data: { exportId: orphan, status: "FAILED", error: "The user who asked for this export no longer exists.", rowCount: null },
    });
    await settle(1000);
    expect(receiver.received("/failed-only")).toHaveLength(1);
  });

  it("retries a failed attempt with growing delays under the same webhook-id until the endpoint answers 2xx", async () => {
    receiver.behave("/flaky", (n) => (n <= 2 ? 500 : 204));
    const endpoint = await register("/flaky");
    await completedExport();
    const requests = await receiver.waitFor("/flaky", 3, 30_000);
    expect(new Set(requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const r of requests) expect(() => new Webhook(endpoint.secret).verify(r.body, r.headers)).not.toThrow();
    // pg-boss backoff from a 2 s delay: the first retry after 2–4 s, the second after 4–8 s.
    const [first, second] = [requests[1].at - requests[0].at, requests[2].at - requests[1].at];
    expect(first).toBeGreaterThanOrEqual(1900);
    expect(second).toBeGreaterThanOrEqual(3900);
    const log = await deliveries(endpoint.id, 3);
    expect(log.map((d) => [d.attempt, d.succeeded, d.responseStatus])).toEqual([[1, false, 500], [2, false, 500], [3, true, 204]]);
    expect(log[0].error).toBe("the endpoint answered HTTP 500");
    const webhookEndpoints = (await t.world.clients.asAdmin.data(WebhookEndpointsDocument, { first: 50 })).webhookEndpoints!;
    expect(webhookEndpoints.nodes.find((e) => e.id === endpoint.id)).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });

  it("cuts off a receiver that hangs, and the hanging one delays neither another endpoint nor a request", async () => {
    receiver.behave("/hang", () => "hang");
    const slow = await register("/hang");
    await register("/fast");
    const done = await completedExport();
    const [fast] = await receiver.waitFor("/fast", 1);
    await receiver.waitFor("/hang", 1);
    // The fast endpoint was told while the slow one still hung.
    expect(fast.at - new Date(done.completedAt!).getTime()).toBeLessThan(TIMEOUT_MS);
    const during = await t.world.clients.asAdmin.request(ExportByIdDocument, { id: done.id });
    expect(during.status).toBe(200);
    const [attempt] = await deliveries(slow.id, 1);
    expect(attempt).toMatchObject({ attempt: 1, succeeded: false, responseStatus: null, error: `timed out after ${TIMEOUT_MS} ms` });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(attempt.latencyMs).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it("disables an endpoint after WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row; enabling it resets the run", async () => {
    receiver.behave("/down", () => 503);
    const endpoint = await register("/down");
    await completedExport();
    await receiver.waitFor("/down", 3, 30_000);
    const log = await deliveries(endpoint.id, 3);
    expect(log.map((d) => d.responseStatus)).toEqual([503, 503, 503]);
    const webhookEndpoints = (await t.world.clients.asAdmin.data(WebhookEndpointsDocument, { first: 50 })).webhookEndpoints!;
    expect(webhookEndpoints.nodes.find((e) => e.id === endpoint.id)).toMatchObject({
      enabled: false, consecutiveFailures: 3, disabledReason: "Disabled after 3 failed delivery attempts in a row.",
    });
    // Disabled: the next export owes it nothing.
    await completedExport();
    await settle(1500);
    expect(receiver.received("/down")).toHaveLength(3);
    const { enableWebhookEndpoint } = await t.world.clients.asAdmin.data(EnableWebhookEndpointDocument, { id: endpoint.id });
    expect(enableWebhookEndpoint).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null });
  });

  it("signs with the new secret from the rotation on; the old one no longer verifies", async () => {
    const endpoint = await register("/rotated");
    const { rotateWebhookEndpointSecret } = await t.world.clients.asAdmin.data(RotateWebhookEndpointSecretDocument, { id: endpoint.id });
    expect(rotateWebhookEndpointSecret.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotateWebhookEndpointSecret.secret).not.toBe(endpoint.secret);
    await completedExport();
    const [request] = await receiver.waitFor("/rotated", 1);
    expect(() => new Webhook(rotateWebhookEndpointSecret.secret).verify(request.body, request.headers)).not.toThrow();
    expect(() => new Webhook(endpoint.secret).verify(request.body, request.headers)).toThrow();
  });
});

describe("targets that are not public", () => {
  it("are refused at registration with BAD_USER_INPUT unless WEBHOOK_ALLOW_PRIVATE_NETWORKS", async () => {
    const strict = await startTestGateway({ webhookAllowPrivateNetworks: false });
    try {
      const client = new GraphQLClient(strict.url, t.world.tokens.asAdmin);
      for (const url of [
        "http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]/hook", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/",
        "http://192.168.0.1/", "http://172.16.5.5/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://[fd00::1]/", "http://100.64.0.1/",
        "ftp://example.com/", "http://user:secret@example.com/", "not a url", "http://no-such-host.invalid/",
      ]) {
        const { body } = await client.request(CreateWebhookEndpointDocument, { url, events: ALL_EVENTS });
        expect([url, body.errors?.[0]?.extensions?.code, body.errors?.[0]?.extensions?.argument]).toEqual([url, ErrorCode.BAD_USER_INPUT, "url"]);
      }
      expect((await db().query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE organization_id = $1`, [t.world.organizationId])).rows[0].n).toBe(0);
    } finally {
      await strict.close();
    }
  });

  it("must be https in production, unless private networks are allowed", async () => {
    const production = await startTestGateway({ nodeEnv: "production" });
    try {
      const client = new GraphQLClient(production.url, t.world.tokens.asAdmin);
      const { body } = await client.request(CreateWebhookEndpointDocument, { url: "http://hooks.example.com/", events: ALL_EVENTS });
      expect(body.errors?.[0]).toMatchObject({ message: "url must be https in production.", extensions: { code: ErrorCode.BAD_USER_INPUT, argument: "url" } });
      expect((await db().query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE organization_id = $1`, [t.world.organizationId])).rows[0].n).toBe(0);
    } finally {
      await production.close();
    }
  });

  it("are refused on the delivery's own connection, whatever the name resolved to at registration", async () => {
    const refused = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const url = new URL(receiver.url("/rebound"));
      http.get(`http://localhost:${url.port}/rebound`, { lookup: guardedLookup(false) }, () => reject(new Error("connected"))).on("error", resolve);
    });
    expect(refused.code).toBe("EWEBHOOKTARGET");
    expect(receiver.received("/rebound")).toHaveLength(0);
  });

  it("tells public addresses from the rest", () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect([address, isNonPublicAddress(address)]).toEqual([address, false]);
    for (const address of ["127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "0.0.0.0", "224.0.0.1"]) {
      expect([address, isNonPublicAddress(address)]).toEqual([address, true]);
    }
  });
});

describe("scope: admins of the organization only", () => {
  it("lists endpoints and deliveries to the organization's admins; FORBIDDEN to others, another organization's admin sees its own", async () => {
    const mine = await register("/scope-mine");
    const { createWebhookEndpoint: theirs } = await t.world.clients.asOtherOrgAdmin.data(CreateWebhookEndpointDocument, { url: receiver.url("/scope-theirs"), events: ALL_EVENTS });
    const expected: Record<string, string[] | string> = {
      asAdmin: [mine.id], asOtherOrgAdmin: [theirs.endpoint.id], asDeveloper: ErrorCode.FORBIDDEN, asMember: ErrorCode.FORBIDDEN, anonymous: ErrorCode.UNAUTHENTICATED,
    };
    for (const caller of CALLERS) {
      const endpoints = await t.world.clients[caller].request(WebhookEndpointsDocument, { first: 50 });
      const log = await t.world.clients[caller].request(WebhookDeliveriesDocument, { endpointId: mine.id });
      if (typeof expected[caller] === "string") {
        expect([caller, endpoints.body.errors?.[0]?.extensions?.code, log.body.errors?.[0]?.extensions?.code]).toEqual([caller, expected[caller], expected[caller]]);
      } else {
        expect([caller, endpoints.body.data?.webhookEndpoints?.nodes.map((e) => e.id)]).toEqual([caller, expected[caller]]);
        expect(log.body.errors ?? []).toEqual([]);
      }
    }
  });
});

const target = async () => {
  const [id] = await insertRows(t.gateway.dataSource.manager, "webhook_endpoints", [{
    organization_id: t.world.organizationId, created_by_id: t.world.users.admin.id, url: receiver.url("/target"), events: ["export.completed", "export.failed"], secret: `whsec_${"A".repeat(43)}=`,
  }]);
  return id;
};
const ADMIN_ONLY = { asDeveloper: ErrorCode.FORBIDDEN, asMember: ErrorCode.FORBIDDEN, asOtherOrgAdmin: ErrorCode.NOT_FOUND } as const;
const changed = { changes: (id: string) => rowChanges({ webhook_endpoints: { changed: [id] } }) };

describeScopedMutation("createWebhookEndpoint", { world: () => t.world, db }, {
  target: async () => null,
  run: (client) => client.request(CreateWebhookEndpointDocument, { url: receiver.url("/created"), events: ALL_EVENTS }),
  expected: {
    asAdmin: { changes: (_t, data) => rowChanges({ webhook_endpoints: { added: [(data as any).createWebhookEndpoint.endpoint.id] } }) },
    asOtherOrgAdmin: { changes: (_t, data) => rowChanges({ webhook_endpoints: { added: [(data as any).createWebhookEndpoint.endpoint.id] } }) },
    asDeveloper: ErrorCode.FORBIDDEN,
    asMember: ErrorCode.FORBIDDEN,
  },
});
describeScopedMutation("rotateWebhookEndpointSecret", { world: () => t.world, db }, {
  target, run: (client, id) => client.request(RotateWebhookEndpointSecretDocument, { id }), expected: { asAdmin: changed, ...ADMIN_ONLY },
});
describeScopedMutation("disableWebhookEndpoint", { world: () => t.world, db }, {
  target, run: (client, id) => client.request(DisableWebhookEndpointDocument, { id }), expected: { asAdmin: changed, ...ADMIN_ONLY },
});
describeScopedMutation("deleteWebhookEndpoint", { world: () => t.world, db }, {
  target,
  run: (client, id) => client.request(DeleteWebhookEndpointDocument, { id }),
  expected: { asAdmin: { changes: (id) => rowChanges({ webhook_endpoints: { removed: [id] } }) }, ...ADMIN_ONLY },
});
