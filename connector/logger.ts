import { hostname } from 'node:os';

/** Structured one-line JSON logs. Callers pass facts, never secrets (no headers, no bodies). */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** pino's level numbers, so a log shipper's pino/bunyan parser reads the lines as they are. */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

export function isLogLevel(name: string): name is LogLevel {
  return Object.hasOwn(LOG_LEVELS, name);
}

export interface JsonLoggerOptions {
  /** Lines below this level are dropped (`LOG_LEVEL`); `info` when unset. */
  level?: LogLevel;
}

/**
 * Lines in pino's shape: `{"level":30,"time":<epoch ms>,"pid":…,"hostname":…,<fields>,"msg":"request"}`,
 * the event name as `msg`. Built as text around one `JSON.stringify` of the fields, as pino does:
 * the fixed part of a line is written once per logger, not serialized per line.
 */
export function jsonLogger(write: (line: string) => void = stderrLines(), options: JsonLoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS[options.level ?? 'info'];
  const bindings = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
  const log = (level: number) => {
    if (level < threshold) return () => {};
    const head = `{"level":${level},"time":`;
    return (event: string, fields?: Record<string, unknown>) => {
      const own = fields === undefined ? '{}' : JSON.stringify(fields);
      const middle = own === '{}' ? '' : `,${own.slice(1, -1)}`;
      write(`${head}${Date.now()}${bindings}${middle},"msg":${JSON.stringify(event)}}`);
    };
  };
  return { info: log(LOG_LEVELS.info), warn: log(LOG_LEVELS.warn), error: log(LOG_LEVELS.error) };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

let stderrWriter: ((line: string) => void) | undefined;
/** One batcher for the process's stderr, however many loggers write to it. */
const stderrLines = () => (stderrWriter ??= batchedLines(process.stderr));

/**
 * Lines handed to the stream together, once per event-loop turn: a write to stderr is a system call
 * (synchronous for files and pipes), and one per request was measurable on the data route. A normal
 * exit, an uncaught error included, flushes what is pending; a process killed outright loses at
 * most the lines of its last turn.
 */
export function batchedLines(stream: Pick<NodeJS.WriteStream, 'write'>): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    stream.write(text);
  };
  process.on('exit', flush);
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
}
