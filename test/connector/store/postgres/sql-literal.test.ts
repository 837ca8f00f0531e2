import { expect, it } from 'vitest';
import { sqlLiteral, withLiterals } from '../../../../connector/store/postgres/sql-literal';
import { describeWithPostgres, migratedPoolPerDescribe } from '../../../helpers/postgres';

// Values written into a statement that takes no parameters (COPY): each reads back as itself,
// whatever quotes or backslashes it holds; anything but the kinds the code uses is refused.

describeWithPostgres('SQL literals', () => {
  const db = migratedPoolPerDescribe({ max: 1 });

  it('inlines values as literals that read back as themselves', async () => {
    const strings = ["plain", "it's", "back\\slash", "'; DROP TABLE x; --", 'é ✓', '$1', ''];
    const bytes = Buffer.from([0, 1, 0x7f, 0x80, 0xff]);
    const { rows } = await db.pool().query<{ s: string[]; b: Buffer; n: number }>(withLiterals('SELECT $1 AS s, $2 AS b, $3::integer AS n', [strings, bytes, 10_001]));
    expect(rows).toEqual([{ s: strings, b: bytes, n: 10_001 }]);
    for (const text of strings) expect((await db.pool().query<{ t: string }>(`SELECT ${sqlLiteral(text)} AS t`)).rows[0].t).toBe(text);
    for (const refused of [1.5, Number.MAX_SAFE_INTEGER + 1, null, undefined, { a: 1 }, [1, 2], true]) expect(() => sqlLiteral(refused)).toThrow('No SQL literal');
    expect(() => withLiterals('SELECT $2', ['only one'])).toThrow('No value for $2');
  });});
