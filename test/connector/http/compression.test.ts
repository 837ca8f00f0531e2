import { request } from 'node:http';
import { rm } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_HEADER, TOKEN_HEADER } from '../../../connector/contract';
import { acceptsGzip, encode } from '../../../connector/http/compression';
import { printedDemoPairs } from '../../helpers/connector-http';
import { startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';

describe('Accept-Encoding negotiation', () => {
  it('takes gzip when named (or x-gzip, or *) with q > 0, and nothing else', () => {
    const takes = ['gzip', 'GZip', 'x-gzip', 'deflate, gzip;q=0.5', 'gzip, deflate, br, zstd', '*', 'br;q=1, *;q=0.1'];
    const refuses = [undefined, '', 'identity', 'br', 'deflate', 'gzip;q=0', 'gzip; q=0.000', '*;q=0', 'gzip;q=0, *', 'br, gzip;q=0'];
    for (const header of takes) expect(acceptsGzip(header), header).toBe(true);
    for (const header of refuses) expect(acceptsGzip(header), String(header)).toBe(false);
  });

  it('compresses only when on and above the threshold; Vary says so whenever it is on', () => {
    const text = 'x'.repeat(100);
    expect(encode(text, 'gzip', null)).toEqual({ body: text, headers: {} });
    expect(encode(text, 'gzip', 100)).toEqual({ body: text, headers: { vary: 'Origin, Accept-Encoding' } });
    const encoded = encode(text, 'gzip', 99);
    expect(encoded.headers).toEqual({ vary: 'Origin, Accept-Encoding', 'content-encoding': 'gzip' });
    expect(gunzipSync(encoded.body).toString('utf8')).toBe(text);
    // UTF-8 bytes, not characters, are measured.
    expect(encode('é'.repeat(60), 'gzip', 100).headers['content-encoding']).toBe('gzip');
    // A body already in bytes (a page of kept texts on PostgreSQL) is measured and compressed as bytes.
    const bytes = Buffer.from('é'.repeat(60));
    expect(encode(bytes, 'gzip', 120)).toEqual({ body: bytes, headers: { vary: 'Origin, Accept-Encoding' } });
    const zipped = encode(bytes, 'gzip', 119);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(bytes)).toBe(true);
  });
});

describe('a real `sheetgate serve` with SHEETGATE_COMPRESS_ABOVE_BYTES', () => {
  let connector: RunningConnector;
  let dir: string;
  let pair: Record<string, string>;
  beforeAll(async () => {
    dir = await tempDataDir();
    connector = await startConnector(dir, [], { ...TEST_ENV, SHEETGATE_COMPRESS_ABOVE_BYTES: '4096' });
    const ann = (await printedDemoPairs(connector.stdout)).get('ann.analyst')!;
    pair = { [TOKEN_HEADER]: ann.token, [KEY_HEADER]: ann.key };
  });
  afterAll(async () => {
    await connector.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = request(`${connector.url}${path}`, { headers: { ...pair, 'X-Request-Id': 'zip', ...headers }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
  const page = '/v1/tables/customers?limit=200';

  it('gzips a large page for a caller that takes gzip, through the hot path and the stack alike', async () => {
    const plain = await get(page, {});
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(4096);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Origin, Accept-Encoding');
    for (const extra of [{}, { 'Content-Length': '0' }] as Array<Record<string, string>>) {
      const zipped = await get(page, { 'Accept-Encoding': 'gzip, deflate, br', ...extra });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toBe('Origin, Accept-Encoding');
      expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    }
  });

  it('sends identity for br only, gzip;q=0, identity, and an answer under the threshold', async () => {
    for (const [path, accept] of [[page, 'br'], [page, 'gzip;q=0'], [page, 'identity'], ['/v1/tables', 'gzip']]) {
      const answer = await get(path, { 'Accept-Encoding': accept });
      expect({ path, accept, status: answer.status, encoding: answer.headers['content-encoding'] }).toEqual({ path, accept, status: 200, encoding: undefined });
      expect(answer.headers.vary).toBe('Origin, Accept-Encoding');
      expect(() => JSON.parse(answer.body.toString('utf8'))).not.toThrow();
    }
  });
});
