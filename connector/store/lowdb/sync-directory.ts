import { open } from 'node:fs/promises';

/** Makes a new or renamed file's directory entry durable (a crash could otherwise lose the name). */
export async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await dir.close();
  }
}
