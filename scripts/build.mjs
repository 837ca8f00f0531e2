// Builds what runs: the connector's CLI (Node, ESM) and the task pane (browser bundle + static files).
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist`;

await rm(dist, { recursive: true, force: true });

await build({
  entryPoints: [`${root}connector/cli.ts`],
  outfile: `${dist}/connector/cli.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});

if (existsSync(`${root}addin/src/main.ts`)) {
  await build({
    entryPoints: [`${root}addin/src/main.ts`],
    outfile: `${dist}/addin/taskpane.js`,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    sourcemap: true,
    logLevel: 'warning',
  });
  await mkdir(`${dist}/addin`, { recursive: true });
  for (const page of ['taskpane.html', 'help.html']) await cp(`${root}addin/${page}`, `${dist}/addin/${page}`);
  if (existsSync(`${root}addin/assets`)) await cp(`${root}addin/assets`, `${dist}/addin/assets`, { recursive: true });
}
