import { open, readFile, rename } from 'node:fs/promises';
import { pageNewestFirst } from './audit-page';
import type { AuditEntry, AuditFilter, AuditLog, AuditPage } from './types';

/** Past this size the log rotates to `<file>.1` (one generation kept): append-only and bounded. */
export const DEFAULT_AUDIT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The audit log as JSON lines. Appends, unlike lowdb's whole-file rewrites, stay cheap when
 * every refused request is recorded. A line torn by a crash is skipped on read.
 */
export class JsonLinesAuditLog implements AuditLog {
  private chain: Promise<void> = Promise.resolve();
  private size = -1;

  constructor(
    private readonly path: string,
    private readonly maxBytes = DEFAULT_AUDIT_MAX_BYTES,
    /** Told of an entry that could not be written (the request it records has gone on regardless). */
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  append(entry: AuditEntry): void {
    this.enqueue(entry, false).catch(() => {
      // Already reported through onError; a queued entry has no caller to tell.
    });
  }

  appendDurably(entry: AuditEntry): Promise<void> {
    return this.enqueue(entry, true);
  }

  private enqueue(entry: AuditEntry, durable: boolean): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const written = this.chain.then(() => this.write(line, durable));
    // The queue goes on after a failure; the caller of this entry alone learns of it.
    this.chain = written.catch((error: unknown) => {
      // A failed append may have left part of a line: look at the tail again before the next one.
      this.size = -1;
      this.onError(error instanceof Error ? error : new Error(String(error)));
    });
    return written;
  }

  /** The log is bounded (rotated files), so a page filters over all of it in memory. */
  async page(filter: AuditFilter, limit: number, after: unknown): Promise<AuditPage> {
    return pageNewestFirst(await this.list(Number.MAX_SAFE_INTEGER), filter, limit, after);
  }

  async list(limit: number): Promise<AuditEntry[]> {
    await this.flush();
    const entries = parseLines(await readIfExists(this.path));
    if (entries.length < limit) entries.unshift(...parseLines(await readIfExists(`${this.path}.1`)));
    return entries.reverse().slice(0, limit);
  }

  flush(): Promise<void> {
    return this.chain;
  }

  private async write(line: string, durable: boolean): Promise<void> {
    if (this.size < 0) {
      const { size, torn } = await inspectTail(this.path);
      this.size = size;
      // A crash can leave the last line without its newline: end it, or the next entry fuses with it.
      if (torn) line = `\n${line}`;
    }
    const bytes = Buffer.byteLength(line);
    if (this.size + bytes > this.maxBytes && this.size > 0) {
      await rename(this.path, `${this.path}.1`);
      this.size = 0;
    }
    const file = await open(this.path, 'a', 0o600);
    try {
      await file.write(line);
      // Only where asked: an fsync per refused request would let a flood of them slow every write.
      if (durable) await file.datasync();
    } finally {
      await file.close();
    }
    this.size += bytes;
  }
}

/** The file's size, and whether its last line lacks its newline. */
async function inspectTail(path: string): Promise<{ size: number; torn: boolean }> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return { size: 0, torn: false };
  }
  try {
    const { size } = await file.stat();
    if (size === 0) return { size, torn: false };
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    return { size, torn: last[0] !== 0x0a };
  } finally {
    await file.close();
  }
}

async function readIfExists(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

function parseLines(text: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      // A line cut short by a crash: skip it, keep the rest.
    }
  }
  return entries;
}
