/** Errors carry stable codes; unknown ones are masked with a request id and logged, never leaked. */
import { GraphQLError } from "graphql";
import { createFormatError, stampRequestId } from "../src/http/format-error";
import { createLogger } from "../src/shared/logger";
import { NotFoundError } from "../src/shared/errors";
import { FaultLog } from "../src/shared/fault-log";
import { SessionIdsDocument } from "./generated/graphql";
import { useWorld } from "./support/world";

const t = useWorld({ sessionsPerUser: 1 });


describe("formatError", () => {
  const logs: string[] = [];
  const logger = createLogger("error", (line) => logs.push(line));
  const format = createFormatError();

  it("masks an unknown error as INTERNAL_SERVER_ERROR with the request id, and logs the details", () => {
    const secret = new Error('relation "sessions" does not exist at /srv/app/dist/x.js');
    const wrapped = new GraphQLError(secret.message, { originalError: secret, path: ["sessions"] });
    const formatted = format({ message: secret.message, path: ["sessions"], extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at x"] } }, wrapped);
    expect(JSON.stringify(formatted)).not.toContain("relation");
    stampRequestId([formatted], "req-12345678", logger, new FaultLog(logger, "database unavailable"));
    expect(formatted).toEqual({
      message: "Internal server error (request req-12345678).",
      path: ["sessions"],
      locations: undefined,
      extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-12345678" },
    });
    const logged = JSON.parse(logs.at(-1)!);
    expect(logged).toMatchObject({ level: "error", requestId: "req-12345678", error: { message: secret.message } });
    expect(logged.error.stack).toContain("Error:");
  });

  it("counts an unreachable database in one line per interval, with no stack", () => {
    let now = 0;
    const warnings: string[] = [];
    const warnLogger = createLogger("warn", (line) => warnings.push(line));
    const outages = new FaultLog(warnLogger, "database unavailable", 10_000, () => now);
    for (let i = 0; i < 100; i++) {
      const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      const formatted = format({ message: refused.message, extensions: { code: "INTERNAL_SERVER_ERROR" } }, new GraphQLError(refused.message, { originalError: refused }));
      expect(formatted.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      stampRequestId([formatted], `req-${i}`, warnLogger, outages);
      now += 150;
    }
    const lines = warnings.map((line) => JSON.parse(line));
    // 100 outages over 15 s: the first at once, then one per 10 s, each saying how many it stands for.
    expect(lines.map((l) => [l.level, l.message, l.occurrences])).toEqual([
      ["warn", "database unavailable", 1],
      ["warn", "database unavailable", 67],
    ]);
    expect(JSON.stringify(lines)).not.toContain("at ");
  });

  it("keeps coded errors and drops their HTTP hints", () => {
    const error = new NotFoundError("Session", "abc");
    expect(format({ message: error.message, extensions: error.extensions }, error)).toEqual({
      message: "Session abc not found.", extensions: { code: "NOT_FOUND" }, locations: undefined, path: undefined,
    });
  });
});

describe("over HTTP", () => {
  const client = () => t.world.clients.asAdmin;

  it("answers invalid arguments with BAD_USER_INPUT and a precise message", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ first: 501 }, /first must not be greater than 500/],
      [{ filter: { dateRange: { from: "2026-02-01", to: "2026-01-01" } } }, /from must not be after/],
      [{ filter: { dateRange: { from: "2026-01-01" }, timeZone: "Mars/Olympus" } }, /Unknown time zone/],
      [{ filter: { dateRange: { from: "2026-13-45" } } }, /./],
      [{ filter: { search: "x".repeat(201) } }, /search/],
      [{ filter: { userIds: ["1; DROP TABLE users"] } }, /not a UUID/],
    ];
    for (const [variables, message] of cases) {
      // The same document with valid values passes between the refusals: checks are per request.
      const valid = await client().request(SessionIdsDocument, { filter: { userIds: [t.world.users.member.id] } } as never);
      expect(valid.body.errors).toBeUndefined();
      const { body } = await client().request(SessionIdsDocument, variables as never);
      expect(body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(body.errors?.[0].message).toMatch(message);
    }
  });

  it("keeps GraphQL's own codes for documents that do not parse or validate", async () => {
    const parse = await client().raw({ query: "{ sessions { " });
    expect(parse.status).toBe(400);
    expect(parse.body.errors?.[0].extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    const validation = await client().raw({ query: "{ sessions { nope } }" });
    expect(validation.body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("never includes a stack trace, and answers with a request id header", async () => {
    const { body, headers } = await client().raw({ query: "{ sessions(first: -5) { totalCount } }" });
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|\.ts:\d|node_modules/);
    expect(headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
