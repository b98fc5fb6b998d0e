import type { MigrationInterface, QueryRunner } from "typeorm";
import { COUNTED, createGrain, sessionKeys, sessionTypes, triggerFunction, type Counted } from "./1795500100000-MaintainedCounts";

/**
 * Session counters by device type and by OS version (over all users, per UTC day, with the other
 * session keys), so an admin's Session History filtered by device or OS counts from counters
 * instead of counting up to 1,000 rows, which cost more than the page (figures: bench/RESULTS.md, `npm run bench:explain`).
 * Device and OS lead after the organization: a filter sums one device's or version's days.
 * The sessions trigger function is replaced by one that also keeps these grains.
 */
const sessions = COUNTED.find((c) => c.table === "sessions")!;
const { organization_id: _, ...rest } = sessionKeys;
const { organization_id: __, ...restTypes } = sessionTypes;

const NEW_GRAINS: Counted["grains"] = [
  {
    name: "session_device_day_counts",
    keys: { organization_id: "organization_id", device_type: "device_type", ...rest },
    types: { organization_id: "uuid NOT NULL", device_type: "text", ...restTypes },
  },
  {
    name: "session_os_day_counts",
    keys: { organization_id: "organization_id", os_version: "os_version", ...rest },
    types: { organization_id: "uuid NOT NULL", os_version: "text", ...restTypes },
  },
];

/** The sessions' counters as this migration leaves them (what its trigger function keeps). */
export const SESSIONS_COUNTED: Counted = { ...sessions, grains: [...sessions.grains, ...NEW_GRAINS] };

export class DeviceAndOsCounts1795500200000 implements MigrationInterface {
  name = "DeviceAndOsCounts1795500200000";

  async up(q: QueryRunner): Promise<void> {
    // Writes to sessions wait until the new counters are filled and kept, so none is missed.
    await q.query(`LOCK TABLE sessions IN SHARE ROW EXCLUSIVE MODE`);
    for (const grain of NEW_GRAINS) await createGrain(q, sessions, grain);
    await q.query(triggerFunction(SESSIONS_COUNTED));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(triggerFunction(sessions));
    for (const grain of NEW_GRAINS) await q.query(`DROP TABLE ${grain.name}`);
  }
}
