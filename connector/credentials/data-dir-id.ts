import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DATA_DIR_ID_FILE = 'data-dir-id';

/**
 * The random id a data directory's default secret file is named by. An id, not the path: a path
 * is the same on every machine that restores a backup to it, and the secret must not follow.
 * Returns null when the directory has none and `create` is false.
 */
export function readDataDirId(dataDir: string, create: boolean): string | null {
  const path = join(dataDir, DATA_DIR_ID_FILE);
  try {
    const id = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
    if (create) throw new Error(`${path} does not hold a data directory id; restore it from your backup.`);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  if (!create) return null;
  const id = randomUUID();
  writeFileSync(path, `${id}\n`, { mode: 0o600 });
  return id;
}
