import { systemQuery, type Database } from "../access";
import { DEMO_ORGANIZATION, OTHER_ORGANIZATION } from "./demo";
import type { ObjectStorage } from "../exports";

/**
 * Gives the demo organizations' available attachments real files (a short device log), so
 * their download links work on a fresh start. Idempotent: existing files are left alone.
 */
export async function writeDemoAttachmentFiles(database: Database, storage: ObjectStorage): Promise<void> {
  const rows = await systemQuery<{ id: string; storage_key: string; file_name: string; session_id: string }>(
    database,
    "demo seed: the demo organizations' attachment files",
    `SELECT a.id, a.storage_key, a.file_name, a.session_id FROM attachments a JOIN organizations o ON o.id = a.organization_id
     WHERE o.name = ANY($1::text[]) AND a.storage_key IS NOT NULL`,
    [[DEMO_ORGANIZATION, OTHER_ORGANIZATION]],
  );
  for (const row of rows) {
    if ((await storage.size(row.storage_key)) !== null) continue;
    const writer = await storage.writer(row.storage_key);
    writer.stream.end(`# ${row.file_name} of session ${row.session_id} (demo)\n` + "device: ready\nnetwork: wifi\nrecording: ok\n");
    await writer.commit();
  }
}
