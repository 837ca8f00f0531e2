import { execFileSync } from 'node:child_process';

/** Tests that start real processes or serve the pane need the built output: build it once. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
