import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Tests that start real processes or serve the pane need the built output: build it once. */
export default function setup(): () => void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  // Default server-secret files go under the configuration directory: the test workers and every
  // process they start inherit this one, so no test touches the real user's ~/.config.
  const config = mkdtempSync(join(tmpdir(), 'sheetgate-test-config-'));
  process.env.XDG_CONFIG_HOME = config;
  return () => rmSync(config, { recursive: true, force: true });
}
