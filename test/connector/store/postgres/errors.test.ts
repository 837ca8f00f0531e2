import { expect, it } from 'vitest';
import { ApiError } from '../../../../connector/errors';
import { translateDatabaseError, withConflicts } from '../../../../connector/store/postgres/errors';
import { describeWithPostgres, migratedPoolPerDescribe } from '../../../helpers/postgres';

describeWithPostgres('database errors', () => {
  const db = migratedPoolPerDescribe();


  const insertUser = (id: string, username: string, email: string) =>
    withConflicts(() =>
      db.pool().query(
        `INSERT INTO users (id, username, email, kind, active, api_authorized, created_at, updated_at)
         VALUES ($1, $2, $3, 'portal', true, false, now(), now())`,
        [id, username, email],
      ),
    );

  it('a username taken in another case is a 409 conflict that names the field, not the value', async () => {
    await insertUser('u1', 'Alice', 'alice@example.com');
    const refused = await insertUser('u2', 'alice', 'other@example.com').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'conflict', status: 409, message: 'That username is already taken.' });
  });

  it('an e-mail address taken in another case is a conflict of its own', async () => {
    const refused = await insertUser('u3', 'bob', 'ALICE@example.com').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'conflict', message: 'That e-mail address is already in use.' });
  });

  it('other database errors pass through unchanged', async () => {
    const failure = await db.pool().query('SELECT * FROM no_such_table').catch((error: unknown) => error);
    expect(translateDatabaseError(failure)).toBe(failure);
    const plain = new Error('boom');
    expect(translateDatabaseError(plain)).toBe(plain);
  });
});
