/**
 * The one order of primary keys, shared by every store adapter and by paging: numbers compare as
 * numbers when both are numbers, anything else as strings.
 */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
