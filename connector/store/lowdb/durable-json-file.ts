import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { syncDirectory } from './sync-directory';

/**
 * A lowdb adapter that writes compact JSON to a temp file, fsyncs it, renames it over the target
 * and fsyncs the directory. lowdb's own JSONFile skips both fsyncs and pretty-prints (slow on big
 * files); the temp name carries the pid so two processes can never share a temp file.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private readonly tempPath: string;

  constructor(readonly path: string) {
    this.tempPath = `${path}.${process.pid}.tmp`;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`The store file ${this.path} is not valid JSON; restore it from a backup.`);
    }
    // lowdb would take `null` for "no file yet" and later overwrite the file with defaults.
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error(`The store file ${this.path} does not hold a JSON object; restore it from a backup.`);
    }
    return parsed as T;
  }

  async write(data: T): Promise<void> {
    // Serialize synchronously, at call time: the caller's state at this instant is what lands.
    const text = JSON.stringify(data);
    const file = await open(this.tempPath, 'w', 0o600);
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(this.tempPath, this.path);
    } catch (error) {
      await unlink(this.tempPath).catch(() => {});
      throw error;
    }
    await syncDirectory(dirname(this.path));
  }
}
