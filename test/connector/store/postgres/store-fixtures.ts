import { randomUUID } from 'node:crypto';
import type { Credential, User } from '../../../../connector/store/types';
import { openPostgresStore, type PostgresStore } from '../../../../connector/store/postgres/open-postgres-store';
import type { RowTable } from '../../../../connector/store/postgres/row-repository';
import { userWith } from '../../tables/fixtures';

export const TABLES: readonly RowTable[] = [
  { id: 'customers', key: 'Code', scopeField: 'Organization' },
  { id: 'items', key: 'Id', scopeField: null },
];

export function openTestStore(url: string, tables: readonly RowTable[] = TABLES): Promise<PostgresStore> {
  return openPostgresStore(url, { tables, pool: { max: 5 } });
}

/** A user of its own id, username and e-mail; timestamps with milliseconds, as the services write them. */
export function userFixture(overrides: Partial<User> = {}): User {
  const id = overrides.id ?? randomUUID();
  const username = overrides.username ?? `user-${id.slice(0, 8)}`;
  return userWith({
    id,
    username,
    email: `${username}@example.com`,
    apiAuthorized: false,
    createdAt: '2026-01-02T03:04:05.678Z',
    updatedAt: '2026-01-02T03:04:05.678Z',
    ...overrides,
  });
}

export function credentialFixture(userId: string, overrides: Partial<Credential> = {}): Credential {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    userId,
    token: `sgt_${id.replaceAll('-', '')}`,
    name: 'Excel',
    keyDigest: 'ab'.repeat(32),
    keyCiphertext: 'ciphertext',
    createdAt: '2026-01-02T03:04:05.001Z',
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    ...overrides,
  };
}

/** What `promise` rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
