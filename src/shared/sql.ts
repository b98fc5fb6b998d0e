/** Collects positional parameters so SQL text never contains caller input. */
export class SqlParams {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder (`$n`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Groups `items` by `key` into a Map whose entries follow `keys` order (DataLoader's contract). */
export function groupInKeyOrder<K, T>(keys: readonly K[], items: T[], key: (item: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/** One item per key, null where absent (DataLoader's contract for lookups by id). */
export function indexInKeyOrder<K, T>(keys: readonly K[], items: T[], key: (item: T) => K): (T | null)[] {
  const byKey = new Map<K, T>();
  for (const item of items) byKey.set(key(item), item);
  return keys.map((k) => byKey.get(k) ?? null);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A case-insensitive "contains" pattern for ILIKE, with %, _ and \\ in the text matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
