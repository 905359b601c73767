/**
 * The typed tables (activations, init schemes, SQL dialects) are keyed by
 * the names a user may give: one way to list those names and to check one.
 */

/** The table's names, in the table's order (for `choices()` lists and messages). */
export function namesOf<T extends object>(table: T): Extract<keyof T, string>[] {
  return Object.keys(table) as Extract<keyof T, string>[];
}

/** Whether `name` is a key of the table itself: never `__proto__`, `toString` or another inherited name. */
export function isNameIn<T extends object>(table: T, name: string): name is Extract<keyof T, string> {
  return Object.hasOwn(table, name);
}
