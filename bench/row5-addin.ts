import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startConnector, type BenchContext } from './context';
import { fmtMB, fmtMs, fmtRatio, median } from './stats';
import type { MainStore } from './stores';
import type { ResultLine } from './table';

const MB = 1024 * 1024;
/** Syncs allowed beyond ceil(total bytes / 4 MB): create's two, trim and finish. */
const FEW = 4;

interface WorkerResult {
  rows: number;
  columns: number;
  pages: number;
  fetches: number[];
  transforms: Array<{ ms: number; fakeMs: number; syncs: number; maxPayload: number; totalPayload: number; rowsWritten: number }>;
}

/** Row 5: the add-in's transform of a 100,000-row page stream into Excel blocks, against fetch time. */
export async function row5(ctx: BenchContext, store: MainStore): Promise<ResultLine[]> {
  if ('pending' in ctx.built.addin) return [pending(ctx.built.addin.pending)];
  const connector = await startConnector(ctx, store.dir, 'row5-connector');
  let result: WorkerResult;
  try {
    ctx.progress('row 5: add-in fetch and transform (own process)');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [ctx.built.addin.script, '--url', connector.url, '--token', store.provider.token, '--key', store.provider.key, '--rounds', ctx.quick ? '1' : '3'],
      { maxBuffer: 16 * MB, timeout: 600_000 },
    );
    result = JSON.parse(stdout.trim().split('\n').pop() as string) as WorkerResult;
  } catch (error) {
    // Its last line of stderr says why; the command line carries a key, so it is never shown.
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').pop() ?? '';
    return [pending(`the add-in run failed: ${stderr.replace(/sg[kt]_[0-9A-Za-z]+/g, '[credential]') || 'no message'}`)];
  } finally {
    await connector.stop();
  }
  const fetchMs = median(result.fetches);
  const transformMs = median(result.transforms.map((t) => t.ms));
  const last = result.transforms[result.transforms.length - 1];
  const allowed = Math.ceil(last.totalPayload / (4 * MB)) + FEW;
  const ratio = transformMs / fetchMs;
  return [
    {
      row: '5',
      what: `add-in: ${result.rows.toLocaleString('en-US')} rows × ${result.columns} columns (${result.pages} pages) into Excel blocks (values + formats)`,
      figures: `transform ${fmtMs(transformMs)} vs fetch ${fmtMs(fetchMs)} (fake Excel's own work ${fmtMs(median(result.transforms.map((t) => t.fakeMs)))}, not counted)`,
      ratio: `${fmtRatio(ratio)} fetch`,
      target: '≤ 0.5× fetch',
      met: ratio <= 0.5,
    },
    {
      row: '5',
      what: `add-in: context.sync() calls for ${fmtMB(last.totalPayload)} written`,
      figures: `${last.syncs} syncs (allowed ${allowed} = ceil(${fmtMB(last.totalPayload)} / 4 MB) + ${FEW})`,
      ratio: `${fmtRatio(last.syncs / allowed)} allowed`,
      target: '≤ ceil(bytes / 4 MB) + a few',
      met: last.syncs <= allowed,
    },
    {
      row: '5',
      what: 'add-in: largest payload in one sync',
      figures: fmtMB(last.maxPayload),
      ratio: `${fmtRatio(last.maxPayload / (5 * MB))} 5 MB`,
      target: 'no sync over 5 MB',
      met: last.maxPayload <= 5 * MB,
    },
  ];
}

function pending(why: string): ResultLine {
  return { row: '5', what: 'add-in transform into Excel row blocks', figures: `pending: ${why}`, ratio: '', target: 'transform ≤ 0.5× fetch', met: null };
}
