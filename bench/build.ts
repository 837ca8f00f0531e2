import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../scripts/node-bundle.mjs';

// Everything the bench spawns is bundled by esbuild into its own directory (not dist/, which a
// concurrent `npm run build` or test run may wipe mid-bench). Node 20 cannot run TypeScript.

export const ROOT = resolve(import.meta.dirname, '../../..');
/** Inside node_modules so the bundles resolve the project's packages (kept external). */
export const OUT = join(ROOT, 'node_modules/.cache/sheetgate-bench');

export interface Built {
  /** The real `sheetgate` executable (connector/cli.ts), as `npm run build` makes it. */
  cli: string;
  bareHono: string;
  /** Bare Hono plus a minimal credential check (token lookup, HMAC, constant-time compare). */
  bareHonoAuth: string;
  bareNode: string;
  /** Row 5's add-in transform script, or why it could not be built. */
  addin: { script: string } | { pending: string };
}

const common = { ...NODE_BUNDLE, logLevel: 'silent' } as const;

export async function buildAll(): Promise<Built> {
  const entry = (name: string, source: string) => ({ out: join(OUT, `${name}.js`), source: join(ROOT, source) });
  const targets = [
    entry('cli', 'connector/cli.ts'),
    entry('bare-hono', 'bench/servers/bare-hono.ts'),
    entry('bare-hono-auth', 'bench/servers/bare-hono-auth.ts'),
    entry('bare-node', 'bench/servers/bare-node.ts'),
  ];
  await Promise.all(targets.map((t) => build({ ...common, entryPoints: [t.source], outfile: t.out })));
  const [cli, bareHono, bareHonoAuth, bareNode] = targets.map((t) => t.out);
  return { cli, bareHono, bareHonoAuth, bareNode, addin: await buildAddin() };
}

async function buildAddin(): Promise<Built['addin']> {
  const out = join(OUT, 'row5-addin.js');
  try {
    await build({ ...common, entryPoints: [join(ROOT, 'bench/row5-addin-worker.ts')], outfile: out });
    return { script: out };
  } catch (error) {
    return { pending: `the add-in does not build yet (${(error as Error).message.split('\n')[0]})` };
  }
}
