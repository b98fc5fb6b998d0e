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

it("takes back only its own queue's exports whose worker went quiet (other queues write to other storage)", async () => {
  const [mine, theirs] = [`mine-${randomUUID().slice(0, 8)}`, `theirs-${randomUUID().slice(0, 8)}`];
  const gateway = await startTestGateway({ exportQueue: mine, exportLeaseSeconds: 2, exportRetryLimit: 0 });
  try {
    const { rows: [org] } = await database().query(`INSERT INTO organizations (name) VALUES ($1) RETURNING id`, [`Queues ${mine}`]);
    const stale = async (queue: string) => (await database().query(
      `INSERT INTO exports (organization_id, requester_role, kind, columns, file_name, status, attempts, heartbeat_at, queue)
       VALUES ($1, 'ADMIN', 'SESSIONS', '{SESSION_ID}', 'x.csv', 'RUNNING', 1, now() - interval '1 minute', $2) RETURNING id`, [org.id, queue])).rows[0].id as string;
    const [ours, other] = [await stale(mine), await stale(theirs)];
    await gateway.exportJobs.sweepLeases();
    const { rows } = await database().query(`SELECT id, status::text FROM exports WHERE id = ANY($1::uuid[])`, [[ours, other]]);
    // With no retries left, the sweep fails its own queue's export; the other queue's stays for its own instances.
    expect(Object.fromEntries(rows.map((r: { id: string; status: string }) => [r.id, r.status]))).toEqual({ [ours]: "FAILED", [other]: "RUNNING" });
    await database().query(`DELETE FROM organizations WHERE id = $1`, [org.id]);
  } finally {
    await gateway.close();
  }
});
