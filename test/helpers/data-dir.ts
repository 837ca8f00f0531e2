import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { silentLogger, type Logger } from '../../connector/logger';
import { openServices, type OpenedServices } from '../../connector/services';
import { TEST_SECRET } from './harness';

/**
 * Opens the services over `dataDir` the way the CLI does, quietly, with the test secret; with
 * `secret: null`, the default secret file under `secretsDir` (a temporary one in tests).
 */
export function openTestServices(
  dataDir: string,
  options: { secret?: string | null; secretFile?: string; secretsDir?: string; log?: Logger } = {},
): Promise<OpenedServices> {
  const secret = options.secret === null ? undefined : (options.secret ?? TEST_SECRET);
  return openServices({ dataDir, secret, secretFile: options.secretFile, secretsDir: options.secretsDir, log: options.log ?? silentLogger });
}

/** Every file under `dir`, as paths relative to it. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name))).sort();
}

/** Which of `secrets` appear (as text) in which file under `dir`: `[]` when none does. */
export async function secretsOnDisk(dir: string, secrets: readonly string[]): Promise<Array<{ file: string; secret: string }>> {
  const found: Array<{ file: string; secret: string }> = [];
  for (const file of await filesUnder(dir)) {
    const text = (await readFile(join(dir, file))).toString('latin1');
    for (const secret of secrets) if (text.includes(secret)) found.push({ file, secret });
  }
  return found;
}
