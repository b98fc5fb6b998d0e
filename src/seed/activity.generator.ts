/** Activities: catalogue entries spread over each started session, log-in first and log-out last. */
import { CATALOGUE, CONTENT, contentId, LABEL_KINDS, LABELS, LOG_IN, LOG_OUT, slugify } from "./activity-catalogue";
import { ACTIVITY_CHUNK, type GeneratorRun } from "./generator-run";
import { activityAt } from "./session-plan.generator";
import { at, boolArray, flatten, intArray, SALT, textArray } from "./sql";
import { weighted } from "./words";

/** Writes each planned session's slice of the activities, in time order, one chunk per statement. */
export async function generateActivities(run: GeneratorRun): Promise<void> {
  const { sql, org, write, onProgress } = run;
  const { activities: A } = run.options;
  const activityChunks = Math.ceil(A / ACTIVITY_CHUNK);
  onProgress("activities", 0, A);
  const catWeights = weighted(CATALOGUE.map(([, , , weight], i) => [i, weight] as [number, number]));
  const labelLists = flatten(LABEL_KINDS.map((k) => LABELS[k]));
  const catLabel = intArray(CATALOGUE.map(([, , kind]) => (kind === null ? 0 : LABEL_KINDS.indexOf(kind) + 1)));
  const ha1 = sql.hash("g.i", SALT.activity);
  const ha2 = sql.hash("g.i", SALT.activity2);
  const contentIdx = `least(${sql.pick(ha2, CONTENT.length)}, ${sql.pick(ha2, CONTENT.length, 16)})`;
  let doneActivities = 0;
  for (let chunk = 0; chunk < activityChunks; chunk++) {
    doneActivities += await write(`
      INSERT INTO activities (id, organization_id, user_id, company_id, session_id, occurred_at, category, action, label,
                              content_id, content_name, content_slug, created_at)
      SELECT ${sql.uuid7("e.at", "activity", "e.i")}, ${org}, e.user_id, e.company_id, e.session_id, e.at,
             CASE WHEN e.content THEN 'Content - ' || ${at(textArray(CONTENT.map((c) => c.type)), "e.ci")}
                  ELSE ${at(textArray(CATALOGUE.map(([category]) => category)), "e.ev")} END,
             ${at(textArray(CATALOGUE.map(([, action]) => action)), "e.ev")},
             CASE WHEN e.lk > 0 THEN ${labelLists.all}[1 + ${labelLists.offset}[e.lk] + e.lh % ${labelLists.count}[e.lk]] END,
             CASE WHEN e.content THEN ${at(textArray(CONTENT.map((c) => contentId(c.name))), "e.ci")} END,
             CASE WHEN e.content THEN ${at(textArray(CONTENT.map((c) => c.name)), "e.ci")} END,
             CASE WHEN e.content THEN ${at(textArray(CONTENT.map((c) => slugify(c.name))), "e.ci")} END,
             e.at
      FROM (
        SELECT v.*, ${at(boolArray(CATALOGUE.map(([category]) => category === null)), "v.ev")} AS content,
               ${at(catLabel, "v.ev")} AS lk
        FROM (
          SELECT g.i, s.user_id, s.company_id, s.id AS session_id,
                 ${activityAt(sql, "s", "g.i")} AS at,
                 CASE WHEN g.i = s.act_offset AND ${sql.pick(ha1, 10)} < 7 THEN ${LOG_IN}
                      WHEN g.i = s.act_offset + s.act_count - 1 AND s.act_count > 1 AND ${sql.pick(ha1, 10)} < 3 THEN ${LOG_OUT}
                      ELSE ${at(intArray(catWeights), sql.pick(ha1, catWeights.length, 8))} END AS ev,
                 ${contentIdx} AS ci,
                 ${sql.pick(ha2, 1 << 20, 32)} AS lh
          FROM seed_sessions s CROSS JOIN LATERAL generate_series(s.act_offset, s.act_offset + s.act_count - 1) AS g(i)
              WHERE s.act_chunk = $1
          OFFSET 0
        ) v
        -- Sorted before the row's id and texts are computed, so the sort moves narrow rows; the
        -- fence (OFFSET 0) keeps that order for the insert.
        ORDER BY v.at, v.i
        OFFSET 0
      ) e`, [chunk]);
    onProgress("activities", doneActivities, A);
  }
}
