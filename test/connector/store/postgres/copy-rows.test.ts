import { expect, it } from 'vitest';
import { ByteSlabs } from '../../../../connector/store/postgres/byte-slabs';
import { BinaryCopyReader, copyOut, copyRows, type CopiedRow } from '../../../../connector/store/postgres/copy-rows';
import { sqlLiteral } from '../../../../connector/store/postgres/sql-literal';
import { describeWithPostgres, migratedPoolPerDescribe } from '../../../helpers/postgres';

// A page's kept texts come as bytes from COPY's binary format (connector/store/postgres/copy-rows.ts):
// every row whole and in order however the data is cut, NULL told from empty, kept intact while pg
// reuses its read buffer.

/** Texts to carry: quotes, backslashes, non-ASCII, empty, NULL, and rows longer than a straddle. */
const TEXTS: (string | null)[] = ['{"a":"b"}', "it's \\ \"quoted\"", 'é ✓ 漢字 🙂', '', null, 'x'.repeat(40_000), '{"n":1}', 'y'.repeat(70_000)];
const VALUES = TEXTS.map((text, i) => `(${i + 1}, ${text === null ? 'NULL::text' : sqlLiteral(text)})`).join(', ');
const SELECT = `SELECT t AS text, convert_to(t, 'UTF8') AS bytes, n % 2 = 0 AS even FROM (VALUES ${VALUES}) AS v(n, t) ORDER BY n`;

type Read = { text: string | null; even: boolean };
const readOf = (row: CopiedRow): Read => ({ text: row.isNull(1) ? null : row.bytes(1).toString('utf8'), even: row.bytes(2)[0] === 1 });
const expected: Read[] = TEXTS.map((text, i) => ({ text, even: (i + 1) % 2 === 0 }));

describeWithPostgres('rows read by COPY in binary format', () => {
  // One connection: a COPY that left it checked out would stall the next query.
  const db = migratedPoolPerDescribe({ max: 1 });

  it('hands on every row in order, NULL apart from empty, as the ordinary query reads them', async () => {
    const rows: Read[] = [];
    await copyRows(db.pool(), SELECT, (row) => {
      rows.push(readOf(row));
      // A text's binary form is its UTF-8 bytes: the connection's encoding is UTF-8 (pool.ts).
      if (!row.isNull(0)) expect(row.bytes(0).equals(row.bytes(1))).toBe(true);
    });
    expect(rows).toEqual(expected);
    expect((await db.pool().query<{ client_encoding: string }>('SHOW client_encoding')).rows[0].client_encoding).toBe('UTF8');
    const { rows: queried } = await db.pool().query<{ text: string | null; even: boolean }>(SELECT);
    expect(queried.map(({ text, even }) => ({ text, even }))).toEqual(expected);
  });

  it('keeps megabytes of rows intact in slabs while pg reuses its read buffer', async () => {
    const slabs = new ByteSlabs(64 * 1024);
    const select = `SELECT convert_to(n || ':' || repeat(chr(1000 + n % 500), n % 300), 'UTF8') FROM generate_series(1, 20000) AS n`;
    await copyRows(db.pool(), select, (row) => row.appendTo(0, slabs));
    const expected = Array.from({ length: 20_000 }, (_, i) => `${i + 1}:${String.fromCharCode(1000 + ((i + 1) % 500)).repeat((i + 1) % 300)}`).join('');
    expect(Buffer.concat(slabs.take()).toString('utf8') === expected).toBe(true);
  });

  it('parses the same rows however the stream is cut', async () => {
    const chunks: Buffer[] = [];
    // Copied: a chunk is a view into pg's read buffer, valid only during the call.
    await copyOut(db.pool(), SELECT, (chunk) => chunks.push(Buffer.from(chunk)));
    const whole = Buffer.concat(chunks);
    for (const size of [1, 2, 3, 7, 19, 500, 16 * 1024, 16 * 1024 + 1, 50_000, whole.length]) {
      const rows: Read[] = [];
      const reader = new BinaryCopyReader((row) => rows.push(readOf(row)));
      for (let at = 0; at < whole.length; at += size) reader.push(whole.subarray(at, at + size));
      reader.end();
      expect(rows, `chunks of ${size}`).toEqual(expected);
    }
    const cut = new BinaryCopyReader(() => {});
    cut.push(whole.subarray(0, whole.length - 1));
    expect(() => cut.end()).toThrow('mid-row');
    expect(() => new BinaryCopyReader(() => {}).push(Buffer.from('not a COPY stream at all'))).toThrow('signature');
  });

  it('a failing statement, or a failing reader, rejects and leaves the pool usable', async () => {
    await expect(copyRows(db.pool(), 'SELECT 1 / 0', () => {})).rejects.toThrow('division by zero');
    await expect(copyRows(db.pool(), 'SELECT 1 FROM no_such_table', () => {})).rejects.toThrow('no_such_table');
    await expect(copyRows(db.pool(), SELECT, () => { throw new Error('the reader failed'); })).rejects.toThrow('the reader failed');
    expect((await db.pool().query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

});
