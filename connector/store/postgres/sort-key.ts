/**
 * The bytes a row's key sorts by in PostgreSQL (`rows.sort_key`, bytea, compared as memcmp), so
 * `ORDER BY sort_key` is `compareKeys` order and a table pages the same on both stores.
 *
 * Why not `key COLLATE "C"`: "C" compares UTF-8 bytes, i.e. code points, while `compareKeys`
 * compares UTF-16 code units, as JavaScript does. They disagree exactly where a character above
 * U+FFFF (a surrogate pair, 0xD800–0xDFFF) meets one in U+E000–U+FFFF: JavaScript puts "😀" before
 * "\uFFFD", UTF-8 after. So strings are stored as UTF-16 big-endian code units, whose byte order
 * is code-unit order. Numbers become the IEEE 754 bits turned into an unsigned order (flip every
 * bit of a negative, only the sign bit of a positive), which memcmp orders as `a - b` does.
 *
 * A table's keys are all numbers or all strings (rows are checked against the key field's type):
 * a leading tag puts numbers before strings should both ever meet, where `compareKeys` itself is
 * no consistent order. test/connector/store/postgres/key-order.test.ts pins the invariant.
 */
export function sortKey(key: string | number): Buffer {
  if (typeof key === 'number') {
    if (Number.isNaN(key)) throw new Error('A key cannot be NaN.');
    const bytes = Buffer.alloc(9);
    bytes[0] = NUMBER;
    bytes.writeDoubleBE(key === 0 ? 0 : key, 1); // -0 is the key 0, as String(-0) === "0"
    if (bytes[1] & 0x80) for (let i = 1; i < 9; i++) bytes[i] = ~bytes[i] & 0xff;
    else bytes[1] |= 0x80;
    return bytes;
  }
  const units = Buffer.from(key, 'utf16le').swap16();
  return Buffer.concat([Buffer.of(STRING), units]);
}

/** The key a sort key was made from (`sortKey`'s inverse): a page's last key read back without its row's `key`. */
export function keyOfSortKey(bytes: Uint8Array): string | number {
  if (bytes[0] === NUMBER && bytes.length === 9) {
    const bits = Buffer.from(bytes.subarray(1));
    if (bits[0] & 0x80) bits[0] &= 0x7f;
    else for (let i = 0; i < 8; i++) bits[i] = ~bits[i] & 0xff;
    return bits.readDoubleBE(0);
  }
  if (bytes[0] === STRING && bytes.length % 2 === 1) return Buffer.from(bytes.subarray(1)).swap16().toString('utf16le');
  throw new Error('Not a sort key.');
}

const NUMBER = 0x01;
const STRING = 0x02;

/** The first byte of a number's sort key (a key's type, read back without its row). */
export const NUMBER_TAG = NUMBER;
