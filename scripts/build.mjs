// Builds what runs: the connector's CLI (Node, ESM) and the task pane (browser bundle + static files).
// It builds into a fresh folder and swaps it in, so a server or test already running from dist/
// never finds it half-written or missing.
import { build } from 'esbuild';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import { NODE_BUNDLE } from './node-bundle.mjs';
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist`;
const next = `${root}dist.building-${process.pid}`;

await rm(next, { recursive: true, force: true });
try {
  await build({
    entryPoints: [`${root}connector/cli.ts`],
    outfile: `${next}/connector/cli.js`,
    ...NODE_BUNDLE,
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  await build({
    entryPoints: [`${root}addin/src/main.ts`],
    outfile: `${next}/addin/taskpane.js`,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    sourcemap: true,
    logLevel: 'warning',
  });
  await mkdir(`${next}/addin`, { recursive: true });
  for (const page of ['taskpane.html', 'help.html']) await cp(`${root}addin/${page}`, `${next}/addin/${page}`);
  await cp(`${root}addin/assets`, `${next}/addin/assets`, { recursive: true });
  await writeFile(`${next}/addin/functions.json`, await functionsMetadata());

  const old = `${root}dist.old-${process.pid}`;
  await rename(dist, old).catch(() => {});
  await rename(next, dist);
  await rm(old, { recursive: true, force: true });
} catch (error) {
  await rm(next, { recursive: true, force: true });
  throw error;
}

/** functions.json for the manifest's CustomFunctions extension point, from the functions' JSDoc. */
async function functionsMetadata() {
  const source = `${root}addin/src/functions/declarations.ts`;
  const { metadataJson, errors } = await generateCustomFunctionsMetadata(source);
  if (errors.length > 0 || !metadataJson) throw new Error(`custom functions metadata (${source}): ${errors.join('; ') || 'no functions found'}`);
  return `${metadataJson}\n`;
}
