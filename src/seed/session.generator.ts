/** Sessions: test, app, device and network, units, removal, and who created, launched and approved them. */
import { SessionStatus } from "../sessions";
import { APPS, ANDROID_DEVICES, DESKTOP_NETWORKS, DEVICES, IOS_DEVICES, MOBILE_NETWORKS, WEB_DEVICES } from "./devices";
import { SESSION_CHUNK, type GeneratorRun } from "./generator-run";
import { activityAt, type SessionWindow } from "./session-plan.generator";
import { at, boolArray, flatten, inList, intArray, lit, SALT, textArray } from "./sql";
import { NOT_STARTED_STATUSES, PENDING_UNIT_STATUSES, REMOVED_STATUSES } from "./statuses";
import {
  ANONYMOUS_LABELS, LIVE_CONVERSATION, REFUND_REASONS, REMOVED_REASONS_COMPLETED, TEMPLATES, TEST_AREAS, TEST_KINDS, TEST_TYPES, TOKEN_LABELS,
} from "./words";

/** Writes the planned sessions (`seed_sessions`), in launch order, one chunk per statement. */
export async function generateSessions(run: GeneratorRun, window: SessionWindow): Promise<void> {
  const { sql, org, write, onProgress } = run;
  const { users: U, sessions: N } = run.options;
  const { spanStart } = window;
  const sessionChunks = Math.ceil(N / SESSION_CHUNK);
  onProgress("sessions", 0, N);
  const hx = sql.hash("s.idx", SALT.session3);
  const hd = sql.hash("s.idx", SALT.device);
  const hu = sql.hash("coalesce(s.user_idx, s.idx)", SALT.device); // a user's usual app and device
  const nTests = Math.max(1, Math.floor(N / 25));
  const testIdx = sql.pick(hx, nTests);
  const appIdx = `CASE WHEN ${sql.pick(hd, 5)} = 0 THEN ${sql.pick(hd, APPS.length, 4)} ELSE ${sql.pick(hu, APPS.length)} END`;
  const platformDevices = (list: number[], h: string) => at(intArray(list), sql.pick(h, list.length, 20));
  const deviceIdx = `CASE ${at(textArray(APPS.map((a) => a.platform)), "d0.app")}
      WHEN 'ios' THEN ${platformDevices(IOS_DEVICES, `CASE WHEN ${sql.pick(hd, 5, 12)} = 0 THEN ${hd} ELSE ${hu} END`)}
      WHEN 'android' THEN ${platformDevices(ANDROID_DEVICES, `CASE WHEN ${sql.pick(hd, 5, 12)} = 0 THEN ${hd} ELSE ${hu} END`)}
      ELSE ${platformDevices(WEB_DEVICES, `CASE WHEN ${sql.pick(hd, 5, 12)} = 0 THEN ${hd} ELSE ${hu} END`)} END`;
  const versions = flatten(DEVICES.map((d) => d.versions));
  const browsers = flatten(DEVICES.map((d) => d.browsers));
  const anonymousUsers = Math.max(U, 1);
  for (let chunk = 0; chunk < sessionChunks; chunk++) {
    await write(`
      INSERT INTO sessions (id, organization_id, user_id, company_id, api_token_id, api_token_label, anonymous_label, status,
        test_id, test_name, test_type, template, short_test, contributor_username, app_id, app_name, app_group, app_build,
        device_type, device_model, os_name, os_version, browser_version, network_type,
        launched_at, started_at, completed_at, booked_duration_min, units_used, units_pending, removed, removed_reason,
        creator_id, launcher_id, approver_id, created_at, first_activity_at, last_activity_at)
      SELECT s.id, ${org}, s.user_id, s.company_id, NULL,
             CASE WHEN s.user_id IS NOT NULL AND ${sql.pick(hx, 33, 8)} = 0 THEN ${at(textArray(TOKEN_LABELS), sql.pick(hx, TOKEN_LABELS.length, 16))} END,
             CASE WHEN s.user_id IS NULL THEN ${at(textArray(ANONYMOUS_LABELS), sql.pick(hx, ANONYMOUS_LABELS.length, 16))} || ' #' || (1000 + ${sql.pick(hx, 9000, 20)}) END,
             s.status::session_status,
             'T-' || (10000 + ${testIdx}),
             ${at(textArray(TEST_AREAS), `${testIdx} % ${TEST_AREAS.length}`)} || ' — ' || ${at(textArray(TEST_KINDS), `(${testIdx} / ${TEST_AREAS.length}) % ${TEST_KINDS.length}`)}
               || CASE WHEN ${testIdx} >= ${TEST_AREAS.length * TEST_KINDS.length} THEN ' (round ' || (${testIdx} / ${TEST_AREAS.length * TEST_KINDS.length} + 1) || ')' ELSE '' END,
             CASE WHEN s.status = ${lit(SessionStatus.RESERVED)} THEN ${lit(LIVE_CONVERSATION)} ELSE ${at(textArray(TEST_TYPES), `${testIdx} % ${TEST_TYPES.length}`)} END,
             ${at(textArray(TEMPLATES), `${testIdx} % ${TEMPLATES.length}`)},
             ${testIdx} % 5 = 0,
             CASE WHEN s.started_at IS NOT NULL THEN s.username END,
             ${at(textArray(APPS.map((a) => a.id)), "d.app")}, ${at(textArray(APPS.map((a) => a.name)), "d.app")},
             ${at(textArray(APPS.map((a) => a.group)), "d.app")},
             ${at(intArray(APPS.map((a) => a.major)), "d.app")} || '.' || (extract(epoch FROM s.launched_at - ${spanStart})::bigint / (30 * 86400)) || '.' || ${sql.pick(hd, 4, 24)}
               || ' (' || (1000 + extract(epoch FROM s.launched_at - ${spanStart})::bigint / 28800) || ')',
             ${at(textArray(DEVICES.map((d) => d.type)), "d.dev")}, ${at(textArray(DEVICES.map((d) => d.model)), "d.dev")},
             ${at(textArray(DEVICES.map((d) => d.os)), "d.dev")},
             ${versions.all}[1 + ${at(versions.offset, "d.dev")} + ${sql.pick(hd, `${at(versions.count, "d.dev")}`, 28)}],
             CASE WHEN ${at(textArray(APPS.map((a) => a.platform)), "d.app")} = 'web'
                  THEN ${browsers.all}[1 + ${at(browsers.offset, "d.dev")} + ${sql.pick(hd, `${at(browsers.count, "d.dev")}`, 34)}] END,
             CASE WHEN ${at(boolArray(DEVICES.map((d) => d.mobile)), "d.dev")}
                  THEN ${at(textArray(MOBILE_NETWORKS), sql.pick(hd, MOBILE_NETWORKS.length, 40))}
                  ELSE ${at(textArray(DESKTOP_NETWORKS), sql.pick(hd, DESKTOP_NETWORKS.length, 40))} END,
             s.launched_at, s.started_at, s.completed_at, s.booked_min,
             CASE WHEN s.status = ${lit(SessionStatus.COMPLETED)} THEN ceil(s.booked_min / 15.0)::int ELSE 0 END,
             CASE WHEN s.status = ANY(${textArray(PENDING_UNIT_STATUSES)}) THEN ceil(s.booked_min / 15.0)::int ELSE 0 END,
             s.status IN ${inList(REMOVED_STATUSES)} OR (s.status = ${lit(SessionStatus.COMPLETED)} AND ${sql.pick(hx, 100, 44)} = 0),
             CASE WHEN s.status = ${lit(SessionStatus.REFUNDED)} THEN ${at(textArray(REFUND_REASONS), sql.pick(hx, REFUND_REASONS.length, 52))}
                  WHEN s.status = ${lit(SessionStatus.CANCELED)} THEN 'Pending session canceled'
                  WHEN s.status = ${lit(SessionStatus.COMPLETED)} AND ${sql.pick(hx, 100, 44)} = 0 THEN ${at(textArray(REMOVED_REASONS_COMPLETED), sql.pick(hx, REMOVED_REASONS_COMPLETED.length, 52))} END,
             d.creator,
             CASE WHEN s.user_id IS NULL THEN d.creator ELSE s.user_id END,
             CASE WHEN s.status IN ${inList(NOT_STARTED_STATUSES)} THEN NULL
                  WHEN ${sql.pick(hx, 3, 56)} = 0 THEN ${sql.uuid("user", "0")}
                  ELSE ${sql.uuid("user", sql.pick(hx, anonymousUsers, 24))} END,
             s.launched_at,
             CASE WHEN s.act_count > 0 THEN ${activityAt(sql, "s", "s.act_offset")} END,
             CASE WHEN s.act_count > 0 THEN ${activityAt(sql, "s", "s.act_offset + s.act_count - 1")} END
      FROM seed_sessions s
      CROSS JOIN LATERAL (SELECT ${appIdx} AS app,
                                 CASE WHEN ${sql.pick(hx, 2, 60)} = 0 THEN ${sql.uuid("user", "0")}
                                      ELSE ${sql.uuid("user", sql.pick(hx, anonymousUsers, 28))} END AS creator) d0
      CROSS JOIN LATERAL (SELECT d0.app, d0.creator, ${deviceIdx} AS dev) d
      WHERE s.sess_chunk = $1
      ORDER BY s.launched_at, s.idx`, [chunk]);
    onProgress("sessions", Math.min(N, (chunk + 1) * SESSION_CHUNK), N);
  }
}
