import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'server-secret';

/**
 * The secret behind key digests and ciphertexts: `SHEETGATE_SECRET` when set (production: keep it
 * in the platform's secret store), else a file beside the data, created once with mode 0600.
 * It never sits in the store file, so a leaked `security.json` reveals no key.
 */
export function loadServerSecret(dataDir: string, fromEnv: string | undefined): { secret: Buffer; warning?: string } {
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('SHEETGATE_SECRET must be at least 32 characters long.');
    return { secret: Buffer.from(fromEnv, 'utf8') };
  }
  const path = join(dataDir, SECRET_FILE);
  try {
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (secret.length < 32) throw new Error(`${path} does not hold a valid server secret.`);
  const loose = (statSync(path).mode & 0o077) !== 0;
  // No path in the message: it goes to a log line.
  return loose ? { secret, warning: `The ${SECRET_FILE} file in the data directory is readable by other users; run chmod 600 on it.` } : { secret };
}
