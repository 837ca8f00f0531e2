import { execFileSync } from 'node:child_process';

/**
 * Tests that start real processes or serve the pane need the built output: build it once, with the
 * self-hosted office.js (tests run without the internet; a deployment build loads Microsoft's CDN).
 */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build', '--', '--self-hosted-office-js'], { stdio: 'inherit' });
}
