// Builds what runs: the connector's CLI (Node, ESM) and the task pane (browser bundle + static files).
// It builds into a fresh folder and swaps it in, so a server or test already running from dist/
// never finds it half-written or missing.
import { build } from 'esbuild';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import { NODE_BUNDLE } from './node-bundle.mjs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';

// The pane and the console: browser bundles, ES modules, with source maps for the browser's tools.
const BROWSER_BUNDLE = { bundle: true, platform: 'browser', format: 'esm', target: 'es2020', sourcemap: true, logLevel: 'warning' };

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist`;
const next = `${root}dist.building-${process.pid}`;

// Which office.js the pages load: Microsoft's CDN by default (what a deployed add-in must use, and
// kept current by Microsoft), or with --self-hosted-office-js the copy the connector serves from
// @microsoft/office-js, for development and tests that run without the internet.
const OFFICE_JS_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const officeJs = process.argv.includes('--self-hosted-office-js') ? 'office-js/office.js' : OFFICE_JS_CDN;

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
    ...BROWSER_BUNDLE,
  });
  // The admin console: the same kind of browser bundle, served at /console, styled by the pane's sheet.
  await build({
    entryPoints: [`${root}console/src/main.ts`],
    outfile: `${next}/console/console.js`,
    ...BROWSER_BUNDLE,
  });
  await cp(`${root}console/console.html`, `${next}/console/console.html`);
  await cp(`${root}console/assets`, `${next}/console/assets`, { recursive: true });
  for (const shared of ['taskpane.css', 'icon-32.png']) await cp(`${root}addin/assets/${shared}`, `${next}/console/assets/${shared}`);
  await mkdir(`${next}/addin`, { recursive: true });
  for (const page of ['taskpane.html', 'help.html']) {
    const html = await readFile(`${root}addin/${page}`, 'utf8');
    await writeFile(`${next}/addin/${page}`, html.replaceAll('src="office-js/office.js"', `src="${officeJs}"`));
  }
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
