import { describe, expect, it } from 'vitest';
import { batchedLines, jsonLogger } from '../../connector/logger';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('batchedLines (the default log sink)', () => {
  it('hands the lines of one event-loop turn to the stream in one write, in order, each ending in a newline', async () => {
    const writes: string[] = [];
    const write = batchedLines({ write: (text: string) => (writes.push(text), true) });
    write('one');
    write('two');
    write('three');
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toEqual(['one\ntwo\nthree\n']);
    write('four');
    await nextTurn();
    expect(writes).toEqual(['one\ntwo\nthree\n', 'four\n']);
  });

  it('keeps every structured line whole when a logger writes through it', async () => {
    const writes: string[] = [];
    const log = jsonLogger(batchedLines({ write: (text: string) => (writes.push(text), true) }));
    log.info('request', { path: '/v1/tables' });
    log.warn('slow', { ms: 12 });
    await nextTurn();
    const lines = writes.join('').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.level, l.event])).toEqual([['info', 'request'], ['warn', 'slow']]);
  });
});
