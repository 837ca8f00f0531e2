import { conflict } from '../../errors';

// The database enforces uniqueness across instances; its violation must reach the caller as the
// contract's `409 conflict`, with a message naming what is taken (never the value: a token is
// one of them), not as a 500.

const UNIQUE_VIOLATION = '23505';

/** Per unique index or constraint of migrations/*.sql, the sentence a conflict says. */
const CONFLICTS: Record<string, string> = {
  users_username_key: 'That username is already taken.',
  users_email_key: 'That e-mail address is already in use.',
  organizations_name_key: 'An organization with that name already exists.',
  teams_name_key: 'A team with that name already exists.',
  credentials_token_key: 'That credential token already exists.',
  rows_pkey: 'A row with that key already exists.',
};

/** `error` as the connector's conflict error when it is a unique violation; otherwise itself. */
export function translateDatabaseError(error: unknown): unknown {
  if (!isDatabaseError(error) || error.code !== UNIQUE_VIOLATION) return error;
  return conflict((error.constraint && CONFLICTS[error.constraint]) || 'That would duplicate an existing record.');
}

/** Runs `action`, throwing a unique violation as the conflict error. */
export async function withConflicts<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

function isDatabaseError(error: unknown): error is { code: string; constraint?: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
