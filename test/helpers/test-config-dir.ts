import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Default server-secret files go under the configuration directory: the test workers and every
 * process they start inherit this one, so no test touches the real user's ~/.config.
 * Returns its removal.
 */
export function useTestConfigDir(): () => void {
  const config = mkdtempSync(join(tmpdir(), 'sheetgate-test-config-'));
  process.env.XDG_CONFIG_HOME = config;
  return () => rmSync(config, { recursive: true, force: true });
}
