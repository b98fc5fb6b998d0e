import { Initial1795462955442 } from "./1795462955442-Initial";

/** Every migration, oldest first. New ones come from `npm run migration:generate -- Name`. */
export const migrations = [Initial1795462955442];
