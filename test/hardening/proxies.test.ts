/**
 * The failure limit across instances and behind proxies (issue 18, item 1): two gateways on one
 * database share one count per client address; with TRUST_PROXY the client's address comes from
 * X-Forwarded-For, so one client's failures do not lock out another behind the same proxy;
 * without it the header is ignored, whatever a client writes there.
 *
 * Each test calls from its own loopback address (127.x.y.z, all of 127/8 is the loopback
 * interface): the count lives in the shared test database, and other files fail from 127.0.0.1.
 */
import http from "node:http";
import { randomInt } from "node:crypto";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { buildWorld } from "../support/world";
import { expectRefused, type Answer } from "./hostile";

jest.setTimeout(60_000);
const QUERY = JSON.stringify({ query: "{ viewer { role } }" });
const LIMIT = 3;

/** A loopback address no other test calls from. */
const freshLoopback = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
/** A documentation address (RFC 5737) for X-Forwarded-For; `half` keeps two apart. */
const freshClient = (half: 0 | 1 = 0) => `198.51.100.${randomInt(1, 127) + half * 127}`;

/** POST /graphql from `from` (the socket's source address), with optional X-Forwarded-For. */
function post(url: string, token: string, from: string, forwardedFor?: string): Promise<Answer> {
  const target = new URL(`${url}/graphql`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: "POST", localAddress: from, agent: false,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          let json: Answer["json"] = null;
          try { json = JSON.parse(text); } catch { json = null; }
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") headers.set(name, value);
          resolve({ status: res.statusCode!, text, json, headers });
        });
      },
    );
    req.on("error", reject);
    req.end(QUERY);
  });
}

const served = (answer: Answer) => expect({ status: answer.status, role: (answer.json?.data as { viewer?: { role: string } })?.viewer?.role }).toEqual({ status: 200, role: "ADMIN" });

/** Polls `check` until it passes or `ms` run out (a lockout reaches other processes by notification). */
async function within<T>(ms: number, check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe("the failure limit on two instances", () => {
  let a: TestGateway;
  let b: TestGateway;
  let token: string;
  beforeAll(async () => {
    a = await startTestGateway({ authFailureLimit: LIMIT, authFailureWindowSeconds: 3 });
    b = await startTestGateway({ authFailureLimit: LIMIT, authFailureWindowSeconds: 3 });
    token = (await buildWorld(a.dataSource, a.url, { sessionsPerUser: 1 })).tokens.asAdmin;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("is one count: failures spread over both instances lock the address out of both, until the window ends", async () => {
    const from = freshLoopback();
    expectRefused("failure 1 on A", await post(a.url, "sg_wrong", from), 401, "UNAUTHENTICATED");
    expectRefused("failure 2 on B", await post(b.url, "sg_wrong", from), 401, "UNAUTHENTICATED");
    served(await post(a.url, token, from));
    expectRefused("failure 3 on A", await post(a.url, "sg_wrong", from), 401, "UNAUTHENTICATED");
    // The third failure (two instances) used the limit: both refuse even a good token.
    expectRefused("good token on A", await post(a.url, token, from), 429, "RATE_LIMITED");
    const started = Date.now();
    const onB = await within(1000, async () => {
      const answer = await post(b.url, token, from);
      expect(answer.status).toBe(429);
      return answer;
    });
    expectRefused("good token on B", onB, 429, "RATE_LIMITED");
    console.log(`failure limit: instance B refused the locked-out address ${Date.now() - started} ms after instance A locked it`);
    // Another address is not affected.
    served(await post(b.url, token, freshLoopback()));
    await new Promise((r) => setTimeout(r, 3100));
    served(await post(a.url, token, from));
    served(await post(b.url, token, from));
  });

  it("holds on an instance that only learns it from its own failure (no notification)", async () => {
    const from = freshLoopback();
    // Written as if by an instance whose notification this one never heard.
    await a.dataSource.query(`INSERT INTO auth_failures (address, failures, window_started_at) VALUES ($1, $2, now())`, [from, LIMIT]);
    expectRefused("one more failure", await post(b.url, "sg_wrong", from), 401, "UNAUTHENTICATED");
    expectRefused("good token after it", await post(b.url, token, from), 429, "RATE_LIMITED");
  });
});

describe("behind a proxy", () => {
  let proxied: TestGateway;
  let direct: TestGateway;
  let token: string;
  beforeAll(async () => {
    // The load balancer connects from a loopback address: trust it, and only it.
    proxied = await startTestGateway({ authFailureLimit: LIMIT, authFailureWindowSeconds: 60, trustProxy: "loopback" });
    direct = await startTestGateway({ authFailureLimit: LIMIT, authFailureWindowSeconds: 60 });
    token = (await buildWorld(proxied.dataSource, proxied.url, { sessionsPerUser: 1 })).tokens.asAdmin;
  });
  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
  });

  it("TRUST_PROXY: one client's failures (X-Forwarded-For) do not lock out another client of the same proxy", async () => {
    const balancer = freshLoopback();
    const [guesser, other] = [freshClient(0), freshClient(1)];
    for (let i = 0; i < LIMIT; i++) expectRefused(`guess ${i + 1}`, await post(proxied.url, "sg_wrong", balancer, guesser), 401, "UNAUTHENTICATED");
    expectRefused("the guesser, good token", await post(proxied.url, token, balancer, guesser), 429, "RATE_LIMITED");
    served(await post(proxied.url, token, balancer, other));
    // The guesser's entry is the client's: a spoofed entry further left changes nothing.
    expectRefused("the guesser with a spoofed first hop", await post(proxied.url, token, balancer, `${other}, ${guesser}`), 429, "RATE_LIMITED");
  });

  it("without TRUST_PROXY, X-Forwarded-For is ignored: the socket's address is counted", async () => {
    const from = freshLoopback();
    for (let i = 0; i < LIMIT; i++) {
      expectRefused(`failure ${i + 1}, a new forwarded address each`, await post(direct.url, "sg_wrong", from, freshClient()), 401, "UNAUTHENTICATED");
    }
    expectRefused("good token, yet another forwarded address", await post(direct.url, token, from, freshClient()), 429, "RATE_LIMITED");
  });
});
