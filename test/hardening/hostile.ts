/**
 * Sending hostile requests over real HTTP and checking the answer: the expected status and
 * code, a JSON body, nothing leaked, and the gateway still serving afterwards. Each case is
 * appended to $HOSTILE_REPORT (when set) so a run can count cases, 5xx answers and leaks.
 */
import fs from "node:fs";

/** Stack frames, source paths, SQL and PostgreSQL texts, driver names: nothing a client should see. */
export const LEAK =
  /\n\s+at\s|\bat\s+\S+\s+\(|node_modules|\/src\/|\/dist\/|\/work\/|\/tmp\/|[\w-]+\.[jt]s:\d+|stacktrace|relation "|syntax error at or near|violates|duplicate key|invalid input syntax|canceling statement|statement timeout|Maximum call stack|QueryFailedError|ECONNREFUSED|TypeORM|postgres/i;
/** SQL keywords as a statement would show them (upper case, so prose like "from your" is not one). */
export const SQL_LEAK = /\bSELECT\b|\bINSERT INTO\b|\bUPDATE\s+\w+\s+SET\b|\bFROM\s+"?[a-z_]+"?\s|\bWHERE\b|\bpg_\w+/;

/** The first leaked fragment of `text`, or null. */
export function leakIn(text: string): string | null {
  return (LEAK.exec(text) ?? SQL_LEAK.exec(text))?.[0] ?? null;
}

export interface Answer {
  status: number;
  text: string;
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> } | null;
  headers: Headers;
}

export async function send(url: string, init: RequestInit & { path?: string } = {}): Promise<Answer> {
  const res = await fetch(`${url}${init.path ?? "/graphql"}`, init);
  const text = await res.text();
  let json: Answer["json"] = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, text, json, headers: res.headers };
}

export function postJson(url: string, body: unknown, token?: string | null, headers: Record<string, string> = {}): Promise<Answer> {
  return send(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/**
 * Asserts a refusal: `status`, a JSON error whose first code is `code`, no data, no leak.
 * Returns the first error's message.
 */
export function expectRefused(name: string, answer: Answer, status: number, code: string): string {
  const leak = leakIn(answer.text);
  record({ name, status: answer.status, code: answer.json?.errors?.[0]?.extensions?.code, leak });
  expect({ name, leak }).toEqual({ name, leak: null });
  expect({ name, status: answer.status }).toEqual({ name, status });
  expect(answer.headers.get("content-type") ?? "").toMatch(/application\/(graphql-response\+)?json/);
  expect(answer.json).not.toBeNull();
  expect(answer.json!.data ?? null).toBeNull();
  expect({ name, code: answer.json!.errors?.[0]?.extensions?.code }).toEqual({ name, code });
  return answer.json!.errors![0].message;
}

function record(entry: Record<string, unknown>): void {
  const file = process.env.HOSTILE_REPORT;
  if (file) fs.appendFileSync(file, JSON.stringify(entry) + "\n");
}

/** The gateway still answers an ordinary query for `token`. */
export async function expectServing(url: string, token: string): Promise<void> {
  const answer = await postJson(url, { query: "{ viewer { role } }" }, token);
  expect(answer.status).toBe(200);
  expect(answer.json?.errors).toBeUndefined();
  expect((answer.json?.data as { viewer: { role: string } }).viewer.role).toMatch(/ADMIN|DEVELOPER|MEMBER/);
}
