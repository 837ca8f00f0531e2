import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { logLevelFromEnv } from '../../connector/cli/env-config';
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
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[30, 'request'], [40, 'slow']]);
  });
});

describe('jsonLogger (the line shape)', () => {
  const capture = (level?: Parameters<typeof jsonLogger>[1]) => {
    const lines: string[] = [];
    return { lines, log: jsonLogger((line) => lines.push(line), level) };
  };

  it("writes pino's shape: numeric level, time in epoch ms, pid, hostname, the fields, the event as msg", () => {
    const { lines, log } = capture();
    const before = Date.now();
    log.info('request', { path: '/v1/tables', status: 200, note: 'a "quoted" \\ value' });
    log.warn('no_fields');
    log.error('empty_fields', {});
    const [request, warned, failed] = lines.map((line) => JSON.parse(line));
    expect(request).toEqual({ level: 30, time: expect.any(Number), pid: process.pid, hostname: hostname(), path: '/v1/tables', status: 200, note: 'a "quoted" \\ value', msg: 'request' });
    expect(request.time).toBeGreaterThanOrEqual(before);
    expect(request.time).toBeLessThanOrEqual(Date.now());
    expect(Object.keys(request)).toEqual(['level', 'time', 'pid', 'hostname', 'path', 'status', 'note', 'msg']);
    expect([warned, failed].map((entry) => [entry.level, entry.msg, Object.keys(entry).length])).toEqual([[40, 'no_fields', 5], [50, 'empty_fields', 5]]);
  });

  it('drops the lines below the level it was given, and logs info and up by default', () => {
    const levels = (level?: 'trace' | 'info' | 'warn' | 'error' | 'fatal') => {
      const { lines, log } = capture(level === undefined ? undefined : { level });
      log.info('i');
      log.warn('w');
      log.error('e');
      return lines.map((line) => JSON.parse(line).msg);
    };
    expect(levels()).toEqual(['i', 'w', 'e']);
    expect(levels('trace')).toEqual(['i', 'w', 'e']);
    expect(levels('info')).toEqual(['i', 'w', 'e']);
    expect(levels('warn')).toEqual(['w', 'e']);
    expect(levels('error')).toEqual(['e']);
    expect(levels('fatal')).toEqual([]);
  });
});

describe('LOG_LEVEL', () => {
  it("takes pino's level names (any case), info when unset or blank, and refuses anything else", () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ LOG_LEVEL: '' })).toBe('info');
    expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'WARN'].map((LOG_LEVEL) => logLevelFromEnv({ LOG_LEVEL }))).toEqual(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'warn']);
    for (const LOG_LEVEL of ['verbose', '30', 'silent', 'toString']) expect(() => logLevelFromEnv({ LOG_LEVEL }), LOG_LEVEL).toThrow(/LOG_LEVEL must be one of trace, debug, info, warn, error, fatal/);
  });
});
