/**
 * `npm run bench:load`: a mixed workload against one gateway process on the large data set, at
 * concurrency 32 for 60 s (LOAD_CONNECTIONS, LOAD_DURATION), loopback only: session-history
 * pages with filters, user and company profiles, and small exports, after LOAD_WARMUP (15 s) of
 * the same load. Prints requests/s, p50/p99, errors (HTTP and GraphQL, warm-up included),
 * gateway restarts, and its RSS over the first and the last 10 s of the measured run.
 */
import autocannon from "autocannon";
import { benchData, mb, openBenchDatabase, startGatewayProcess } from "./support";

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const DURATION = Number(process.env.LOAD_DURATION ?? 60);
/** Load before the measured run, so the first 10 s measured are not the heap's warm-up. */
const WARMUP = Number(process.env.LOAD_WARMUP ?? 15);

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  try {
    const { organizationId, adminToken } = await benchData(db);
    const companies: string[] = (await db.dataSource.query(`SELECT id FROM companies WHERE organization_id = $1`, [organizationId])).map((r: { id: string }) => r.id);
    const users: string[] = (await db.dataSource.query(`SELECT id FROM users WHERE organization_id = $1 ORDER BY id LIMIT 2000`, [organizationId])).map((r: { id: string }) => r.id);
    const devices = ["iPhone 15", "iPad Air", "Pixel 8"];

    // The mix, by weight: what a dashboard and its automations send.
    const workload: [number, string, () => Record<string, unknown>][] = [
      [30, "query($f: SessionFilter) { sessions(first: 50, filter: $f) { totalCount nodes { id status launchedAt runner { label } user { name company { name } } } } }",
        () => ({ f: { userIds: [pick(users), pick(users)], deviceTypes: [pick(devices)] } })],
      [15, "query($f: SessionFilter) { sessions(first: 50, filter: $f) { pageInfo { endCursor } nodes { id appName osVersion } } }",
        () => ({ f: { dateRange: { from: "2026-06-01", to: "2026-06-30" }, search: pick(["bank", "travel", "insurance"]) } })],
      [25, "query($id: ID!) { user(id: $id) { name profile(period: { preset: LAST_90_DAYS }) { totalEvents sessionCount averageSessionSeconds topEvents(first: 5) { category action count } topPages(first: 5) { title views } } } }",
        () => ({ id: pick(users) })],
      [15, "query($id: ID!) { company(id: $id) { name profile(period: { preset: LAST_30_DAYS }) { userCount totalEvents sessionCount topEvents(first: 5) { count } } users(first: 10) { nodes { name } } } }",
        () => ({ id: pick(companies) })],
      [10, "query($u: [ID!]) { activities(first: 100, filter: { userIds: $u }) { nodes { occurredAt category action label } } }",
        () => ({ u: [pick(users)] })],
      [5, "mutation($u: [ID!]) { exportSessions(filter: { userIds: $u }) { id status } }", () => ({ u: [pick(users)] })],
    ];
    const total = workload.reduce((n, [w]) => n + w, 0);
    const choose = () => {
      let r = Math.random() * total;
      for (const entry of workload) if ((r -= entry[0]) < 0) return entry;
      return workload[0];
    };

    const gateway = await startGatewayProcess(db.url, { EXPORT_WAIT_MS: "0" });
    const pid = gateway.child.pid;
    const rss: number[] = [];
    let sampler: NodeJS.Timeout | undefined;
    let graphqlErrors = 0;
    const firstErrors: string[] = [];
    try {
      const run = (duration: number) => autocannon({
        url: `${gateway.url}/graphql`,
        connections: CONNECTIONS,
        duration,
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
        requests: [
          {
            setupRequest: (request) => {
              const [, query, variables] = choose();
              return { ...request, body: JSON.stringify({ query, variables: variables() }) };
            },
            onResponse: (_status, body) => {
              if (body.includes('"errors"')) {
                graphqlErrors++;
                if (firstErrors.length < 3) firstErrors.push(body.slice(0, 300));
              }
            },
          },
        ],
      });
      const warm = WARMUP > 0 ? await run(WARMUP) : null;
      sampler = setInterval(() => rss.push(gateway.rss()), 1000);
      const result = await run(DURATION);
      clearInterval(sampler);
      const alive = gateway.child.exitCode === null && gateway.child.pid === pid;
      const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      console.log(`\nMixed load: ${CONNECTIONS} connections for ${DURATION} s after ${WARMUP} s of warm-up (loopback)\n`);
      console.log("| requests | req/s | p50 ms | p99 ms | HTTP errors / non-2xx / timeouts | GraphQL errors | restarts | RSS first 10 s → last 10 s |");
      console.log("|---|---|---|---|---|---|---|---|");
      console.log(
        `| ${result.requests.total.toLocaleString("en")} | ${result.requests.average} | ${result.latency.p50} | ${result.latency.p99} | ` +
          `${result.errors + (warm?.errors ?? 0)} / ${result.non2xx + (warm?.non2xx ?? 0)} / ${result.timeouts + (warm?.timeouts ?? 0)} | ${graphqlErrors} | ${alive ? 0 : 1} | ${mb(avg(rss.slice(0, 10)))} → ${mb(avg(rss.slice(-10)))} |`,
      );
      const series = rss.filter((_, i) => i % 10 === 9).map(mb).join(", ");
      console.log(`\nRSS every 10 s: ${series}`);
      for (const e of firstErrors) console.log(`  error: ${e}`);
      if (!alive || result.errors || result.non2xx || graphqlErrors || warm?.errors || warm?.non2xx) process.exitCode = 1;
    } finally {
      clearInterval(sampler);
      await gateway.stop();
    }
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
