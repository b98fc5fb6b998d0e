import type { SqlParams } from "../shared/sql";

/** A filter condition over the table alias; returns SQL using only placeholders from `params`. */
export type Condition = (alias: string, params: SqlParams) => string | null;
