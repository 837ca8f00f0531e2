import { closeSync, fstatSync, linkSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The data directory ${dir} is in use by another Sheetgate process (pid ${pid}). ` +
        'Stop that process first, or make the change through its admin API.',
    );
    this.name = 'DataDirLockedError';
  }
}

/** Lock files this process holds: a lock naming our own pid but not in here is left from before a restart. */
const heldHere = new Set<string>();

/**
 * One process at a time per data directory: two lowdb writers on one file lose updates and can
 * corrupt it. The lock file holds the owner's pid; a lock whose owner is gone is taken over.
 * The file appears with its pid already in it (written aside, then hard-linked into place), so a
 * process starting at the same moment never mistakes a half-written lock for a stale one.
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, '.lock');
  // A live owner ends the loop. A lock released meanwhile means another process just made
  // progress: try again. Only stale takeovers are counted, so a file that cannot be removed ends it.
  for (let takeovers = 0; takeovers < 10; ) {
    if (tryCreate(path)) return holdUntilRelease(path);
    const owner = readOwner(path);
    if (!owner) continue;
    if (isHeld(owner.pid, path)) throw new DataDirLockedError(dir, owner.pid);
    removeIfUnchanged(path, owner.inode);
    takeovers++;
  }
  throw new Error(`Could not lock the data directory ${dir}; remove ${path} if no Sheetgate runs.`);
}

function tryCreate(path: string): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, String(process.pid), { mode: 0o600 });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createExclusive(path); // no hard links here
    throw error;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
  }
}

/** Fallback for file systems without hard links: exclusive create, then the pid. */
function createExclusive(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  return true;
}

function holdUntilRelease(path: string): () => void {
  heldHere.add(path);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(path);
    process.off('exit', release);
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on('exit', release);
  return release;
}

/** The lock's owner pid (NaN when garbled) and the lock file's identity; null when it is gone. */
function readOwner(path: string): { pid: number; inode: number } | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // Gone (released meanwhile), or a dangling link in its place: never a live lock, so taken over.
    try {
      const link = lstatSync(path);
      return link.isSymbolicLink() ? { pid: Number.NaN, inode: link.ino } : null;
    } catch {
      return null;
    }
  }
  try {
    return { pid: Number.parseInt(readFileSync(fd, 'utf8'), 10), inode: fstatSync(fd).ino };
  } finally {
    closeSync(fd);
  }
}

function isHeld(pid: number, path: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return heldHere.has(path);
  return isAlive(pid);
}

/**
 * Removes the stale lock, but only if it is still the file judged stale: another process may have
 * taken it over since. Moving it aside first makes the check and the removal one step.
 */
function removeIfUnchanged(path: string, inode: number): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it
    throw error;
  }
  try {
    if (lstatSync(aside).ino !== inode) {
      // A live lock taken meanwhile: put it back (its owner keeps it; this process will see it).
      // Should a third process have locked in this instant, its lock stands and the link fails.
      try {
        linkSync(aside, path);
      } catch {
        // The place is taken again; the next attempt reads its owner.
      }
    }
  } finally {
    unlinkSync(aside);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
