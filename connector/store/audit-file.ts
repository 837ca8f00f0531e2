import { appendFile, readFile, rename, stat } from 'node:fs/promises';
import type { AuditEntry, AuditLog } from './types';

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
  ) {}

  append(entry: AuditEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    this.chain = this.chain.then(() => this.write(line)).catch(() => {});
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

  private async write(line: string): Promise<void> {
    if (this.size < 0) this.size = await stat(this.path).then((s) => s.size, () => 0);
    if (this.size + line.length > this.maxBytes && this.size > 0) {
      await rename(this.path, `${this.path}.1`);
      this.size = 0;
    }
    await appendFile(this.path, line, { mode: 0o600 });
    this.size += Buffer.byteLength(line);
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
