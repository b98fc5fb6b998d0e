/**
 * Delivers webhook messages. Messages are owed by the database (a trigger writes them with the
 * change that caused them, see the Webhooks migration); this dispatcher moves owed messages
 * into a pg-boss queue and delivers them from it:
 *
 * - at least once: a message is marked queued in the same transaction that found it, after
 *   its job was sent, so a crash in between sends it again (receivers drop duplicates by the
 *   `webhook-id` header, as Standard Webhooks asks);
 * - signed per Standard Webhooks (`standardwebhooks`): `webhook-id` (the message), a fresh
 *   `webhook-timestamp` and `webhook-signature` on every attempt;
 * - retried by pg-boss with exponential backoff (WEBHOOK_RETRY_LIMIT), each attempt recorded in
 *   webhook_deliveries with its status and latency; an endpoint is disabled after
 *   WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row;
 * - each attempt is cut off after WEBHOOK_TIMEOUT_MS, and attempts run side by side
 *   (WEBHOOK_CONCURRENCY slots, each job on its own), so a slow endpoint holds one slot for at
 *   most the timeout and never a request: requests only ever write the owed rows.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import PgBoss from "pg-boss";
import { Webhook } from "standardwebhooks";
import { systemQuery, systemTransaction, type Database } from "../access";
import { BackgroundLog } from "../shared/fault-log";
import type { Logger } from "../shared/logger";
import { recordWebhookAttempt } from "../shared/metrics";
import { guardedLookup, isNonPublicAddress } from "./webhook-targets";

export interface WebhookDispatcherOptions {
  databaseUrl: string;
  database: Database;
  logger: Logger;
  queue: string;
  timeoutMs: number;
  retryLimit: number;
  disableAfterFailures: number;
  concurrency: number;
  allowPrivateNetworks: boolean;
}

interface DeliveryJob {
  messageId: string;
}

interface OwedMessage {
  id: string;
  organization_id: string;
  endpoint_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  url: string;
  secret: string;
  enabled: boolean;
}

interface AttemptOutcome {
  succeeded: boolean;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
}

/** Why the dispatcher's statements bypass request scope. */
const DISPATCH = "webhook dispatcher: delivers every organization's messages";
/** Bytes of a receiver's answer we read (and then drop): enough to see it finish. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export class WebhookDispatcher {
  private readonly boss: PgBoss;
  private pollTimer: NodeJS.Timeout | null = null;
  private running = 0;
  private stopped = false;
  private fetching = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly failures: BackgroundLog;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.failures = new BackgroundLog(options.logger, "webhook delivery");
    this.boss = new PgBoss({ connectionString: options.databaseUrl, schema: "pgboss", max: 2, schedule: false });
    this.boss.on("error", (error) => this.failures.failed("webhook queue error", error));
  }

  async start(): Promise<void> {
    const { queue, retryLimit, timeoutMs } = this.options;
    await this.boss.start();
    // Backoff doubles from retryDelay: 2, 4, 8 … s (pg-boss adds jitter). An attempt cannot
    // outlive its timeout, so a job active past it plus a margin belongs to a dead process.
    const settings = { name: queue, retryLimit, retryDelay: 2, retryBackoff: true, expireInSeconds: Math.ceil(timeoutMs / 1000) + 30 };
    await this.boss.createQueue(queue, settings);
    await this.boss.updateQueue(queue, settings);
    // WEBHOOK_CONCURRENCY=0: this instance delivers nothing (others do), e.g. an API-only instance.
    if (this.options.concurrency <= 0) return;
    this.pollTimer = setInterval(() => void this.tick(), 500);
    this.pollTimer.unref();
  }

  /** One round: owed messages into the queue, then fill free delivery slots. */
  async tick(): Promise<void> {
    await this.queueOwed().catch((error) => this.failures.failed("webhook dispatch failed", error));
    await this.fill().catch((error) => this.failures.failed("webhook fetch failed", error));
  }

  private async queueOwed(): Promise<void> {
    await systemTransaction(this.options.database, DISPATCH, async (tx) => {
      const owed = await systemQuery<{ id: string }>(
        tx,
        DISPATCH,
        `SELECT id FROM webhook_messages WHERE queued_at IS NULL ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
      );
      if (owed.length === 0) return;
      await this.boss.insert(owed.map((m) => ({ name: this.options.queue, data: { messageId: m.id } satisfies DeliveryJob })));
      await systemQuery(tx, DISPATCH, `UPDATE webhook_messages SET queued_at = now() WHERE id = ANY($1::uuid[])`, [owed.map((m) => m.id)]);
    });
  }

  private async fill(): Promise<void> {
    if (this.fetching || this.stopped) return;
    this.fetching = true;
    try {
      const free = this.options.concurrency - this.running;
      if (free <= 0) return;
      const jobs = (await this.boss.fetch<DeliveryJob>(this.options.queue, { batchSize: free, includeMetadata: true })) ?? [];
      for (const job of jobs) {
        this.running++;
        const work = this.deliver(job).finally(() => {
          this.running--;
          this.inFlight.delete(work);
        });
        this.inFlight.add(work);
      }
    } finally {
      this.fetching = false;
    }
  }

  /** One attempt of one job; completes or fails the job in pg-boss (which schedules the retry). */
  private async deliver(job: PgBoss.JobWithMetadata<DeliveryJob>): Promise<void> {
    const { database, queue } = this.options;
    try {
      const [message] = await systemQuery<OwedMessage>(
        database,
        DISPATCH,
        `SELECT m.id, m.organization_id, m.endpoint_id, m.event_type, m.payload, e.url, e.secret, e.enabled
         FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id WHERE m.id = $1`,
        [job.data.messageId],
      );
      // Deleted with its endpoint, or the endpoint was disabled meanwhile: nothing is owed any more.
      if (!message || !message.enabled) {
        if (message) await systemQuery(database, DISPATCH, `UPDATE webhook_messages SET status = 'SKIPPED' WHERE id = $1`, [message.id]);
        await this.boss.complete(queue, job.id);
        return;
      }
      const attempt = job.retryCount + 1;
      const outcome = await this.attempt(message);
      recordWebhookAttempt(outcome.succeeded, outcome.latencyMs);
      await this.record(message, attempt, outcome);
      if (outcome.succeeded) {
        await this.boss.complete(queue, job.id);
      } else {
        if (attempt > this.options.retryLimit) await systemQuery(database, DISPATCH, `UPDATE webhook_messages SET status = 'FAILED' WHERE id = $1`, [message.id]);
        await this.boss.fail(queue, job.id, { error: outcome.error });
      }
    } catch (error) {
      this.failures.failed("webhook delivery could not be recorded", error, { messageId: job.data.messageId });
      await this.boss.fail(queue, job.id, { error: (error as Error).message }).catch(() => undefined);
    }
  }

  /** The HTTP attempt itself: POST, signed, cut off after the timeout, answer read and dropped. */
  private attempt(message: OwedMessage): Promise<AttemptOutcome> {
    const { timeoutMs, allowPrivateNetworks } = this.options;
    const body = JSON.stringify(message.payload);
    const timestamp = new Date();
    const signature = new Webhook(message.secret).sign(message.id, timestamp, body);
    const began = performance.now();
    const done = (succeeded: boolean, responseStatus: number | null, error: string | null): AttemptOutcome => ({
      succeeded, responseStatus, error, latencyMs: Math.round(performance.now() - began),
    });
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(message.url);
      } catch {
        return resolve(done(false, null, "the endpoint's url is not valid"));
      }
      const host = url.hostname.replace(/^\[|\]$/g, "");
      // An address literal is never looked up: check it here.
      if (!allowPrivateNetworks && net.isIP(host) && isNonPublicAddress(host)) {
        return resolve(done(false, null, `refused: ${host} is not a public address`));
      }
      const request = (url.protocol === "https:" ? https : http).request(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "sessiongraph-webhooks",
          "webhook-id": message.id,
          "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
          "webhook-signature": signature,
        },
        lookup: guardedLookup(allowPrivateNetworks),
        // Redirects are not followed (http.request never does): a receiver answers where it is registered.
      });
      const timer = setTimeout(() => request.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      request.on("response", (response) => {
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const finish = () => {
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          resolve(done(ok, status, ok ? null : `the endpoint answered HTTP ${status}`));
        };
        response.on("end", finish);
        response.on("close", finish);
        response.on("error", finish);
      });
      request.on("error", (error) => {
        clearTimeout(timer);
        resolve(done(false, null, error.message));
      });
      request.end(body);
    });
  }

  /** The attempt's row, and the endpoint's run of failures (disabled once it reaches the limit). */
  private async record(message: OwedMessage, attempt: number, outcome: AttemptOutcome): Promise<void> {
    const { database, disableAfterFailures, logger } = this.options;
    await systemTransaction(database, DISPATCH, async (tx) => {
      await systemQuery(
        tx,
        DISPATCH,
        `INSERT INTO webhook_deliveries (organization_id, endpoint_id, message_id, event_type, attempt, succeeded, response_status, latency_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [message.organization_id, message.endpoint_id, message.id, message.event_type, attempt, outcome.succeeded, outcome.responseStatus, outcome.latencyMs, outcome.error],
      );
      if (outcome.succeeded) {
        await systemQuery(tx, DISPATCH, `UPDATE webhook_messages SET status = 'DELIVERED' WHERE id = $1`, [message.id]);
        await systemQuery(tx, DISPATCH, `UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0`, [message.endpoint_id]);
        return;
      }
      const [endpoint] = await systemQuery<{ enabled: boolean; consecutive_failures: number }>(
        tx,
        DISPATCH,
        `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1,
                enabled = enabled AND consecutive_failures + 1 < $2,
                disabled_reason = CASE WHEN enabled AND consecutive_failures + 1 >= $2 THEN $3 ELSE disabled_reason END
         WHERE id = $1 RETURNING enabled, consecutive_failures`,
        [message.endpoint_id, disableAfterFailures, `Disabled after ${disableAfterFailures} failed delivery attempts in a row.`],
      );
      if (endpoint && !endpoint.enabled && endpoint.consecutive_failures === disableAfterFailures) {
        logger.warn("webhook endpoint disabled after failed deliveries", { endpointId: message.endpoint_id, failures: disableAfterFailures });
      }
    });
  }

  /** Stops taking jobs and waits for attempts in flight (each ends within the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await Promise.allSettled([...this.inFlight]);
    await this.boss.stop({ graceful: true, wait: true, timeout: 5_000 });
  }
}
