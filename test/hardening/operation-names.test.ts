/**
 * Operation names and bodies that once answered 500: an operationName the document does not
 * define (any text, prototype names and lone surrogates included) and a body that is not valid
 * UTF-8. Each answers 400 with a stable code and a JSON body, and the gateway keeps serving.
 */
import { useWorld } from "../support/world";
import { expectRefused, expectServing, postJson, send } from "./hostile";

const t = useWorld({ sessionsPerUser: 1 });
const url = () => t.gateway.url;
const admin = () => t.world.tokens.asAdmin;

afterEach(async () => {
  await expectServing(url(), admin());
});

describe("operationName", () => {
  it("names a defined operation: runs it (so the refusals below can fail)", async () => {
    const answer = await postJson(url(), { query: "query Mine { viewer { role } }", operationName: "Mine" }, admin());
    expect(answer.status).toBe(200);
    expect(answer.json?.data).toEqual({ viewer: { role: "ADMIN" } });
  });

  it.each([
    ["an unknown name", "Other"],
    ["__proto__", "__proto__"],
    ["constructor", "constructor"],
    ["a lone surrogate", "\ud800"],
    ["an empty string", ""],
  ])("%s answers 400 OPERATION_RESOLUTION_FAILURE", async (name, operationName) => {
    for (const query of ["query Mine { viewer { role } }", "{ viewer { role } }", "query A { viewer { role } } query B { viewer { role } }"]) {
      expectRefused(name, await postJson(url(), { query, operationName }, admin()), 400, "OPERATION_RESOLUTION_FAILURE");
    }
  });

  it("several operations and no name answers 400 OPERATION_RESOLUTION_FAILURE", async () => {
    expectRefused("no name", await postJson(url(), { query: "query A { viewer { role } } query B { viewer { role } }" }, admin()), 400, "OPERATION_RESOLUTION_FAILURE");
  });
});

describe("bodies", () => {
  it.each([
    ["a lone continuation byte", Buffer.from([0x80])],
    ["a truncated sequence", Buffer.from([0xe2, 0x82])],
    ["an overlong encoding", Buffer.from([0xc0, 0xaf])],
  ])("invalid UTF-8 (%s) in a string answers 400 BAD_REQUEST", async (name, bytes) => {
    const body = Buffer.concat([Buffer.from('{"query": "{ viewer { role } }", "variables": {"x": "'), bytes, Buffer.from('"}}')]);
    const answer = await send(url(), { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${admin()}` }, body });
    expectRefused(name, answer, 400, "BAD_REQUEST");
  });
});
