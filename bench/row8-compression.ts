import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { KEY_HEADER, TOKEN_HEADER } from '../connector/contract';
import { startConnector, type BenchContext } from './context';
import { cpuMs, send } from './processes';
import { fmtMB, fmtRatio, median } from './stats';
import type { MainStore } from './stores';
import type { ResultLine } from './table';

const PATH = '/v1/tables/customers?format=standard&limit=10000';

/**
 * Issue 13 target 5: a large page (10,000 customers at standard) pulled with and without
 * `Accept-Encoding: gzip` and `br` (compression switched on above 64 KB): the bytes on the wire
 * and the connector's CPU per request, against uncompressed; and what node:zlib itself costs on the same page (in this process), the
 * figures a default is chosen from. The add-in's fetch decompresses for free; the connector's CPU
 * does not.
 */
export async function row8(ctx: BenchContext, store: MainStore): Promise<ResultLine[]> {
  const pair = { [TOKEN_HEADER]: store.provider.token, [KEY_HEADER]: store.provider.key };
  // Compression on for answers over 64 KB (it is off by default): the page is 3 MB.
  const connector = await startConnector(ctx, store.dir, 'row8-connector', [], { SHEETGATE_COMPRESS_ABOVE_BYTES: '65536' });
  const requests = ctx.quick ? 20 : 60;
  try {
    const pulled: Record<string, { bytes: number; cpuUs: number; encoding: string }> = {};
    let identity: Buffer = Buffer.alloc(0);
    for (const accept of ['identity', 'gzip', 'br']) {
      const headers = { ...pair, 'Accept-Encoding': accept };
      const first = await send(`${connector.url}${PATH}`, { headers }); // warm-up
      if (first.status !== 200) throw new Error(`the connector answered ${first.status}`);
      if (accept === 'identity') identity = first.body;
      let bytes = 0;
      let encoding = 'identity';
      // /proc counts CPU in 10 ms ticks: read over all the requests, not per request.
      const before = cpuMs(connector.pid);
      for (let i = 0; i < requests; i++) {
        const answer = await send(`${connector.url}${PATH}`, { headers });
        bytes = answer.body.length;
        encoding = answer.headers['content-encoding'] ?? 'identity';
      }
      pulled[accept] = { bytes, cpuUs: ((cpuMs(connector.pid) - before) * 1000) / requests, encoding };
    }
    const plain = pulled.identity;
    const line = (accept: string): string => {
      const p = pulled[accept];
      const sent = p.encoding === 'identity' && accept !== 'identity' ? ' (sent uncompressed: not offered)' : '';
      return `${accept}: ${fmtMB(p.bytes)}, ${(p.cpuUs / 1000).toFixed(1)} ms CPU${sent}`;
    };
    const zlib = zlibCosts(identity, ctx.quick ? 3 : 7);
    return [
      {
        row: '8',
        what: `10,000-row customers page at standard (${fmtMB(plain.bytes)}): bytes and connector CPU per request by Accept-Encoding`,
        figures: ['identity', 'gzip', 'br'].map(line).join(' · '),
        ratio: ['gzip', 'br'].map((a) => `${a} bytes ${fmtRatio(pulled[a].bytes / plain.bytes)}, CPU ${fmtRatio(pulled[a].cpuUs / plain.cpuUs)}`).join('; '),
        target: 'report (choose the default)',
        met: null,
      },
      {
        row: '8',
        what: 'the same page through node:zlib in the runner: size and CPU per compression',
        figures: zlib.map((z) => `${z.name}: ${fmtMB(z.bytes)}, ${z.ms.toFixed(1)} ms`).join(' · '),
        ratio: zlib.map((z) => `${z.name} ${fmtRatio(z.bytes / identity.length)}`).join(', '),
        target: 'report',
        met: null,
      },
    ];
  } finally {
    await connector.stop();
  }
}

function zlibCosts(body: Buffer, runs: number) {
  const codecs: Array<[name: string, compress: (b: Buffer) => Buffer]> = [
    ['gzip 1', (b) => gzipSync(b, { level: 1 })],
    ['gzip 6', (b) => gzipSync(b, { level: 6 })],
    ['br 4', (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } })],
  ];
  return codecs.map(([name, compress]) => {
    let bytes = 0;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const before = process.cpuUsage();
      bytes = compress(body).length;
      const used = process.cpuUsage(before);
      times.push((used.user + used.system) / 1000);
    }
    return { name, bytes, ms: median(times) };
  });
}
