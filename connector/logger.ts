/** Structured one-line JSON logs. Callers pass facts, never secrets (no headers, no bodies). */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = stderrLines()): Logger {
  const log = (level: string) => (event: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
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
