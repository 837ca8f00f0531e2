#!/usr/bin/env node
// Where a `node --cpu-prof` profile spent its time, as text: self time per function and per
// package, as a share of the busy (non-idle) time. `npm run bench -- --profile` writes the
// connectors' profiles; this reads them without opening DevTools.
//
//   node scripts/cpuprofile-summary.mjs PROFILE_OR_DIR [--skip-ms 5000] [--exclude REGEX] [--top 40]
//
// --skip-ms leaves out the first milliseconds (start-up, loading a big store); --exclude leaves
// out samples whose stack has a frame matching REGEX ("name file:line"), e.g. a fake's own work.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'skip-ms': { type: 'string', default: '0' }, exclude: { type: 'string' }, top: { type: 'string', default: '40' } },
});
if (positionals.length !== 1) {
  console.error('usage: cpuprofile-summary.mjs PROFILE_OR_DIR [--skip-ms N] [--exclude REGEX] [--top N]');
  process.exit(2);
}
const target = positionals[0];
const files = statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(target, f))
  : [target];

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  const frame = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
  const excluded = values.exclude ? new RegExp(values.exclude) : null;
  const stackMatches = (id) => {
    for (let at = id; at !== undefined; at = parents.get(at)) if (excluded.test(frame(nodes.get(at)))) return true;
    return false;
  };

  const selfUs = new Map();
  const skipUs = Number(values['skip-ms']) * 1000;
  let clock = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    clock += dt;
    if (clock < skipUs || (excluded && stackMatches(id))) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });

  const byFunction = new Map();
  const byPackage = new Map();
  let idle = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = nodes.get(id);
    total += us;
    if (n.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    byFunction.set(frame(n), (byFunction.get(frame(n)) ?? 0) + us);
    byPackage.set(packageOf(n), (byPackage.get(packageOf(n)) ?? 0) + us);
  }
  const busy = total - idle;
  console.log(`${file}\nbusy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled`);
  const print = (title, map, top) => {
    console.log(`\n${title}`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * us) / busy).toFixed(1).padStart(6)} %  ${name}`);
    }
  };
  print('self time by package', byPackage, 20);
  print('self time by function', byFunction, Number(values.top));
}

/** node_modules/<package>, node:<module>, the app bundle, or V8's own entries. */
function packageOf(node) {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.includes('deps/undici')) return 'undici (fetch, Headers)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const inModules = url.split('node_modules/').pop();
  if (inModules !== url && !inModules.startsWith('.cache/')) {
    const [first, second] = inModules.split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  return url.split('/').pop();
}
