/**
 * The export queue takes its settings from the configuration on every start, not only the
 * first: pg-boss keeps a queue as it was made unless it is updated.
 */
import { randomUUID } from "node:crypto";
import { startTestGateway } from "../support/gateway";
import { useDatabaseClient } from "../support/database";

const database = useDatabaseClient();

async function queueSettings(queue: string): Promise<{ retry_limit: number; expire_seconds: number }> {
  const { rows } = await database().query(`SELECT retry_limit, expire_seconds FROM pgboss.queue WHERE name = $1`, [queue]);
  return rows[0];
}

it("applies EXPORT_JOB_TIMEOUT_SECONDS and EXPORT_LEASE_SECONDS of each start to an existing queue", async () => {
  const queue = `settings-${randomUUID().slice(0, 8)}`;
  const first = await startTestGateway({ exportQueue: queue, exportJobTimeoutSeconds: 30, exportLeaseSeconds: 10, exportRetryLimit: 1 });
  await first.close();
  // A message is only a wake-up: retries are the export lease's, never pg-boss's.
  expect(await queueSettings(queue)).toEqual({ retry_limit: 0, expire_seconds: 40 });
  const second = await startTestGateway({ exportQueue: queue, exportJobTimeoutSeconds: 90, exportLeaseSeconds: 20, exportRetryLimit: 4 });
  await second.close();
  expect(await queueSettings(queue)).toEqual({ retry_limit: 0, expire_seconds: 110 });
});

it("lets instances that start at the same moment share new queues (queue creation can deadlock: the loser runs again)", async () => {
  const queue = `together-${randomUUID().slice(0, 8)}`;
  const gateways = await Promise.all([1, 2, 3].map(() => startTestGateway({ exportQueue: queue, webhookQueue: `${queue}-hooks` })));
  await Promise.all(gateways.map((g) => g.close()));
  const { rows } = await database().query(`SELECT name FROM pgboss.queue WHERE name LIKE $1 ORDER BY name`, [`${queue}%`]);
  expect(rows.map((r: { name: string }) => r.name)).toEqual([queue, `${queue}-failed`, `${queue}-hooks`]);
});
