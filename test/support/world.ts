/**
 * Builds one test file's own data: an organization with two companies and users of every role,
 * a second organization, and sessions, attachments and activities for each user, plus a bearer
 * token per role. Names carry a random suffix so files sharing the database never collide.
 */
import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { insertRows } from "../../src/db/insert";
import { issueApiToken } from "../../src/api-tokens";
import { Role } from "../../src/access";
import { GraphQLClient } from "./client";
import { startTestGateway, type TestGateway } from "./gateway";
import type { Config } from "../../src/config/config";

export type UserKey = "admin" | "developer" | "member" | "member2" | "otherAdmin" | "otherMember";
export type Caller = "asAdmin" | "asDeveloper" | "asMember" | "asOtherOrgAdmin" | "anonymous";
export const CALLERS: Caller[] = ["asAdmin", "asDeveloper", "asMember", "asOtherOrgAdmin", "anonymous"];

export interface WorldUser {
  id: string;
  email: string;
  organizationId: string;
  companyId: string;
  role: Role;
}

export interface World {
  organizationId: string;
  otherOrganizationId: string;
  companies: { alpha: string; beta: string; other: string };
  users: Record<UserKey, WorldUser>;
  /** Session ids per owner, newest first. */
  sessions: Record<UserKey, string[]>;
  removedSessions: Record<UserKey, string[]>;
  attachments: Record<UserKey, string[]>;
  activities: Record<UserKey, string[]>;
  clients: Record<Caller, GraphQLClient>;
  tokens: Record<Exclude<Caller, "anonymous">, string>;
}

export interface WorldOptions {
  sessionsPerUser?: number;
  activitiesPerSession?: number;
  /** Also give each user one removed session (default true). */
  withRemoved?: boolean;
  /** Launch time of the newest session; older ones go back an hour each. */
  newest?: Date;
}

export async function buildWorld(dataSource: DataSource, url: string, options: WorldOptions = {}): Promise<World> {
  const sessionsPerUser = options.sessionsPerUser ?? 3;
  const activitiesPerSession = options.activitiesPerSession ?? 2;
  const removedPerUser = options.withRemoved === false ? 0 : 1;
  const newest = (options.newest ?? new Date("2026-06-01T12:00:00.000Z")).getTime();
  const tag = randomUUID().slice(0, 8);
  const m = dataSource.manager;

  const [organizationId, otherOrganizationId] = await insertRows(m, "organizations", [{ name: `Org ${tag}` }, { name: `Other ${tag}` }]);
  const [alpha, beta, other] = await insertRows(m, "companies", [
    { organization_id: organizationId, name: `Alpha ${tag}` },
    { organization_id: organizationId, name: `Beta ${tag}` },
    { organization_id: otherOrganizationId, name: `Other Co ${tag}` },
  ]);
  const specs: [UserKey, string, string, Role][] = [
    ["admin", organizationId, alpha, Role.ADMIN],
    ["developer", organizationId, beta, Role.DEVELOPER],
    ["member", organizationId, alpha, Role.MEMBER],
    ["member2", organizationId, beta, Role.MEMBER],
    ["otherAdmin", otherOrganizationId, other, Role.ADMIN],
    ["otherMember", otherOrganizationId, other, Role.MEMBER],
  ];
  const userIds = await insertRows(m, "users", specs.map(([key, org, company, role]) => ({
    organization_id: org,
    company_id: company,
    first_name: key,
    last_name: `Test ${tag}`,
    email: `${key}.${tag}@example.test`,
    username: `${key}_${tag}`,
    role,
  })));
  const users = Object.fromEntries(specs.map(([key, org, company, role], i) => [
    key,
    { id: userIds[i], email: `${key}.${tag}@example.test`, organizationId: org, companyId: company, role },
  ])) as Record<UserKey, WorldUser>;

  const sessions = {} as Record<UserKey, string[]>;
  const removedSessions = {} as Record<UserKey, string[]>;
  const attachments = {} as Record<UserKey, string[]>;
  const activities = {} as Record<UserKey, string[]>;
  let n = 0;
  for (const [key] of specs) {
    const user = users[key];
    const rows = Array.from({ length: sessionsPerUser + removedPerUser }, (_, i) => {
      const launched = new Date(newest - (n++) * 3_600_000);
      return {
        organization_id: user.organizationId,
        user_id: user.id,
        company_id: user.companyId,
        status: "COMPLETED",
        app_id: `app.${key}`,
        app_name: `App of ${key}`,
        launched_at: launched,
        started_at: new Date(launched.getTime() + 60_000),
        completed_at: new Date(launched.getTime() + 600_000),
        creator_id: users.admin?.id && user.organizationId === organizationId ? users.admin.id : null,
        // The last one is removed: lists hide it unless includeRemoved.
        removed: i === sessionsPerUser,
      };
    });
    const ids = rows.length ? await insertRows(m, "sessions", rows) : [];
    sessions[key] = ids.slice(0, sessionsPerUser);
    removedSessions[key] = ids.slice(sessionsPerUser);
    attachments[key] = await insertRows(m, "attachments", sessions[key].map((sessionId) => ({
      organization_id: user.organizationId, session_id: sessionId, user_id: user.id, kind: "LOG",
      file_name: "device.log", content_type: "text/plain", storage_key: `attachments/${sessionId}/device.log`,
    })));
    const activityRows = sessions[key].flatMap((sessionId, s) =>
      Array.from({ length: activitiesPerSession }, (_, a) => ({
        organization_id: user.organizationId, user_id: user.id, company_id: user.companyId, session_id: sessionId,
        occurred_at: new Date((rows[s].launched_at as Date).getTime() + 120_000 + a * 60_000),
        category: "Page", action: "View", label: null,
      })),
    );
    activities[key] = await insertRows(m, "activities", activityRows);
  }

  const token = async (key: UserKey, role: Role) =>
    (await issueApiToken(m, { organizationId: users[key].organizationId, ownerId: users[key].id, label: `${key} token`, role })).secret;
  const tokens = {
    asAdmin: await token("admin", Role.ADMIN),
    asDeveloper: await token("developer", Role.DEVELOPER),
    asMember: await token("member", Role.MEMBER),
    asOtherOrgAdmin: await token("otherAdmin", Role.ADMIN),
  };
  const clients = {
    asAdmin: new GraphQLClient(url, tokens.asAdmin),
    asDeveloper: new GraphQLClient(url, tokens.asDeveloper),
    asMember: new GraphQLClient(url, tokens.asMember),
    asOtherOrgAdmin: new GraphQLClient(url, tokens.asOtherOrgAdmin),
    anonymous: new GraphQLClient(url, null),
  };
  return { organizationId, otherOrganizationId, companies: { alpha, beta, other }, users, sessions, removedSessions, attachments, activities, clients, tokens };
}

/** Ids owned by the given users, for building expectations. */
export function idsOf(map: Record<UserKey, string[]>, ...keys: UserKey[]): string[] {
  return keys.flatMap((k) => map[k]).sort();
}

/** The users of the main organization and of the other organization. */
export const MAIN_ORG: UserKey[] = ["admin", "developer", "member", "member2"];
export const OTHER_ORG: UserKey[] = ["otherAdmin", "otherMember"];

/**
 * Registers the usual file setup: the real gateway on the test database and this file's own
 * world, closed after the file. Read `.gateway` and `.world` inside tests and later hooks.
 */
export function useWorld(options: WorldOptions = {}, gatewayConfig: Partial<Config> = {}): { gateway: TestGateway; world: World } {
  const context = {} as { gateway: TestGateway; world: World };
  beforeAll(async () => {
    context.gateway = await startTestGateway(gatewayConfig);
    context.world = await buildWorld(context.gateway.dataSource, context.gateway.url, options);
  });
  afterAll(async () => {
    await context.gateway?.close();
  });
  return context;
}
