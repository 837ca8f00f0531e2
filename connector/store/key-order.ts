/**
 * The one order of primary keys, shared by every store adapter and by paging: numbers compare as
 * numbers when both are numbers, anything else as strings. PostgreSQL sorts by the bytes of
 * postgres/sort-key.ts, which must stay this order (test/connector/store/postgres/key-order.test.ts).
 */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
