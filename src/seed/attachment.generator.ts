/** Attachments: the files of about a fifth of the started sessions. */
import { SESSION_CHUNK, type GeneratorRun } from "./generator-run";
import { at, intArray, SALT, textArray } from "./sql";
import { ATTACHMENT_FILES } from "./words";

/** Writes one to three files for about a fifth of the started sessions; ~15% have no stored file (unavailable). */
export async function generateAttachments(run: GeneratorRun): Promise<void> {
  const { sql, org, query, onProgress } = run;
  const sessionChunks = Math.ceil(run.options.sessions / SESSION_CHUNK);
  onProgress("attachments", 0, sessionChunks);
  const ha = sql.hash("s.idx", SALT.attachment);
  const hk = sql.hash("s.idx * 4 + att.no", SALT.attachment);
  const kind = `(att.no + s.idx) % ${ATTACHMENT_FILES.length}`;
  for (let chunk = 0; chunk < sessionChunks; chunk++) {
    await query(`
      INSERT INTO attachments (id, organization_id, session_id, user_id, kind, file_name, content_type, byte_size, storage_key, created_at)
      SELECT ${sql.uuid7("coalesce(s.completed_at, s.started_at)", "attachment", "s.idx || ':' || att.no")}, ${org}, s.id, s.user_id,
             ${at(textArray(ATTACHMENT_FILES.map((a) => a.kind)), kind)}::attachment_kind,
             ${at(textArray(ATTACHMENT_FILES.map((a) => a.file)), kind)},
             ${at(textArray(ATTACHMENT_FILES.map((a) => a.type)), kind)},
             (${at(intArray(ATTACHMENT_FILES.map((a) => a.min)), kind)}
               + floor(${sql.frac(hk)} * ${at(intArray(ATTACHMENT_FILES.map((a) => a.max - a.min)), kind)}))::int,
             CASE WHEN ${sql.pick(hk, 100, 24)} >= 15
                  THEN 'attachments/' || s.id || '/' || ${at(textArray(ATTACHMENT_FILES.map((a) => a.file)), kind)} END,
             (coalesce(s.completed_at, s.started_at) + att.no * interval '1 second')::timestamptz(3)
      FROM seed_sessions s CROSS JOIN LATERAL generate_series(0, ${sql.pick(ha, 3, 8)}::int) AS att(no)
      WHERE s.sess_chunk = $1 AND s.started_at IS NOT NULL AND ${sql.pick(ha, 100)} < 22
      ORDER BY s.launched_at, s.idx, att.no`, [chunk]);
    onProgress("attachments", chunk + 1, sessionChunks);
  }
}
