import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startConnector, type BenchContext } from './context';
import { startServer } from './processes';
import { fmtMs, fmtRatio, median } from './stats';
import type { WriteStore } from './stores';
import type { ResultLine } from './table';

/**
 * Row 6: spawn to the first answered `GET /healthz` of `sheetgate serve`: on a new data directory
 * (the demo is seeded), restarted on that demo directory, and restarted on 100,000 users; a bare
 * node:http process is the floor (Node's own start-up).
 */
export async function row6(ctx: BenchContext, big: WriteStore): Promise<ResultLine[]> {
  const samples = ctx.quick ? 2 : 5;
  const floor: number[] = [];
  const first: number[] = [];
  const restart: number[] = [];
  const large: number[] = [];
  const body = join(ctx.root, 'row6-body.json');
  writeFileSync(body, '{"ok":true}');
  for (let i = 0; i < samples; i++) {
    ctx.progress(`row 6: sample ${i + 1}/${samples}`);
    const bare = await startServer(ctx.built.bareNode, ['--port', '{port}', '--body', body]);
    floor.push(bare.readyMs);
    await bare.stop();

    const dir = join(ctx.root, `row6-demo-${i}`);
    mkdirSync(dir);
    const seeded = await startConnector(ctx, dir, 'row6-demo-first');
    first.push(seeded.readyMs);
    await seeded.stop();
    const again = await startConnector(ctx, dir, 'row6-demo-restart');
    restart.push(again.readyMs);
    await again.stop();

    if (i < (ctx.quick ? 1 : 3)) {
      const loaded = await startConnector(ctx, big.dir, 'row6-100k');
      large.push(loaded.readyMs);
      await loaded.stop();
    }
  }
  const floorMs = median(floor);
  const line = (what: string, ms: number): ResultLine => ({
    row: '6',
    what,
    figures: `${fmtMs(ms)} (bare node:http ${fmtMs(floorMs)})`,
    ratio: `${fmtRatio(ms / floorMs)} bare node`,
    target: 'report',
    met: null,
  });
  return [
    line('cold start to first /healthz: new data dir, demo seeded', median(first)),
    line('cold start to first /healthz: restart on the demo data', median(restart)),
    line(`cold start to first /healthz: restart on ${big.users.toLocaleString('en-US')} users`, median(large)),
  ];
}
