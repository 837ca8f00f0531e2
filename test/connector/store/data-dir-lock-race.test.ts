import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';

// Several real processes hammer one data directory's lock in tight loops. Inside the lock each
// one claims an exclusive marker file: if two ever held the lock at once, a claim fails.

const LOCK_SOURCE = resolve(import.meta.dirname, '../../../connector/store/data-dir-lock.ts');
const WORKER = `
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { lockDataDir } from './lock.mjs';
const [dir, seconds] = process.argv.slice(2);
const marker = join(dir, 'inside');
const stats = { entered: 0, refused: 0, overlaps: 0 };
const deadline = Date.now() + Number(seconds) * 1000;
while (Date.now() < deadline) {
  let release;
  try {
    release = lockDataDir(dir);
  } catch (error) {
    if (error.name !== 'DataDirLockedError') throw error;
    stats.refused++;
    continue;
  }
  try {
    closeSync(openSync(marker, 'wx'));
  } catch {
    stats.overlaps++;
    release();
    continue;
  }
  stats.entered++;
  unlinkSync(marker);
  release();
}
process.stdout.write(JSON.stringify(stats));
`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sheetgate-lockrace-'));
  await build({ entryPoints: [LOCK_SOURCE], outfile: join(root, 'lock.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
  await writeFile(join(root, 'worker.mjs'), WORKER);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function worker(dir: string, seconds: number): Promise<{ entered: number; refused: number; overlaps: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'worker.mjs'), dir, String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`worker exited ${code}: ${err}`))));
  });
}

it('never lets two processes hold one data directory at once, however tightly they race', async () => {
  const dir = join(root, 'data');
  await mkdir(dir);
  const results = await Promise.all([0, 1, 2, 3].map(() => worker(dir, 1.5)));
  const total = results.reduce((sum, r) => ({ entered: sum.entered + r.entered, refused: sum.refused + r.refused, overlaps: sum.overlaps + r.overlaps }));
  expect(total.entered).toBeGreaterThan(100); // the race really ran
  expect(total.refused).toBeGreaterThan(100);
  expect(total.overlaps).toBe(0);
});
