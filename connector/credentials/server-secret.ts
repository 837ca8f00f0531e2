import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { readDataDirId } from './data-dir-id';

/** Where earlier versions kept the secret: inside the data directory, so a copy of it held every key. */
export const LEGACY_SECRET_FILE = 'server-secret';

/** A secret cannot be found, or would be shared by accident: the operator has to act. */
export class ServerSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerSecretError';
  }
}

export interface SecretSource {
  /** `SHEETGATE_SECRET`: text of at least 32 characters, used as it is. */
  fromEnv?: string;
  /** `--secret-file`: a file holding base64 of at least 32 random bytes (the format this module writes). */
  file?: string;
  /** Where default secret files live, one per data directory id (`<config>/sheetgate/secrets`). */
  secretsDir: string;
}

export interface LoadedSecret {
  secret: Buffer;
  /** Said once, to the operator: a move of the secret, a loose file mode. Never the secret itself. */
  notices: Array<{ event: string; message: string }>;
}

/** `$XDG_CONFIG_HOME/sheetgate/secrets`, else `~/.config/sheetgate/secrets` (`%APPDATA%` on Windows). */
export function defaultSecretsDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : process.platform === 'win32' && env.APPDATA ? env.APPDATA : join(env.HOME || homedir(), '.config');
  return join(base, 'sheetgate', 'secrets');
}

/**
 * The secret behind key digests and ciphertexts, kept apart from the data so that a copy of the
 * data directory (a backup, a tarball) yields no key: `SHEETGATE_SECRET`, else `--secret-file`,
 * else `<secretsDir>/<id>.secret` where `id` is a random id stored in the data directory.
 * A secret is only ever created for a new data directory: for one that has credentials, a fresh
 * secret would silently invalidate every key, so a missing secret stops the start instead.
 */
/** `SHEETGATE_SECRET` as the secret's bytes, refused when too short to be one. */
export function secretFromEnv(value: string): Buffer {
  if (value.length < 32) throw new ServerSecretError('SHEETGATE_SECRET must be at least 32 characters long.');
  return Buffer.from(value, 'utf8');
}

export function loadServerSecret(dataDir: string, source: SecretSource, isNew: boolean): LoadedSecret {
  if (source.fromEnv) {
    return { secret: secretFromEnv(source.fromEnv), notices: legacyLeftBehind(dataDir) };
  }
  const legacy = join(dataDir, LEGACY_SECRET_FILE);
  const hasLegacy = existsSync(legacy);
  const id = readDataDirId(dataDir, isNew || hasLegacy);
  const path = source.file ?? (id ? join(source.secretsDir, `${id}.secret`) : undefined);
  if (!path) throw missing(dataDir, null);
  const notices: LoadedSecret['notices'] = [];
  const bind = source.file ? undefined : bindToDataDir(path, dataDir, id as string, notices);

  if (existsSync(path)) {
    if (hasLegacy) finishMove(legacy, path);
  } else if (hasLegacy) {
    writeSecret(path, readFileSync(legacy, 'utf8').trim());
    unlinkSync(legacy);
    notices.push({
      event: 'server_secret_moved',
      message: `The server secret was moved out of the data directory to ${path}; back it up apart from the data (a copy of the data alone no longer yields a key).`,
    });
  } else if (isNew) {
    writeSecret(path, randomBytes(32).toString('base64'));
  } else {
    throw missing(dataDir, path);
  }
  const secret = readSecret(path);
  bind?.();
  if ((statSync(path).mode & 0o077) !== 0) {
    notices.push({ event: 'server_secret_permissions', message: `The server secret file ${path} is readable by other users; run chmod 600 on it.` });
  }
  return { secret, notices };
}

function readSecret(path: string): Buffer {
  const text = readFileSync(path, 'utf8').trim();
  const secret = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || secret.length < 32) {
    throw new ServerSecretError(`${path} does not hold a server secret (base64 of at least 32 random bytes, e.g. from "openssl rand -base64 32").`);
  }
  return secret;
}

function writeSecret(path: string, base64: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${base64}\n`, { mode: 0o600, flag: 'wx' });
}

/** A move cut short (the new file written, the old one not yet removed): finish it if they agree. */
function finishMove(legacy: string, path: string): void {
  if (readFileSync(legacy, 'utf8').trim() !== readFileSync(path, 'utf8').trim()) {
    throw new ServerSecretError(
      `The data directory holds a ${LEGACY_SECRET_FILE} file that differs from the server secret in ${path}; keep the one its keys were made with and delete the other.`,
    );
  }
  unlinkSync(legacy);
}

/**
 * The default secret file names the data directory it was made for (`<id>.dir`). A directory with
 * the same id elsewhere is a copy while the original is still there: it must not silently share
 * the original's keys (two connectors, one revocation seen by only one), so it is refused. When
 * the original is gone, the directory was moved, and the secret follows it. Returns the step that
 * records the binding, taken once the secret is known good.
 */
function bindToDataDir(secretPath: string, dataDir: string, id: string, notices: LoadedSecret['notices']): (() => void) | undefined {
  const record = secretPath.replace(/\.secret$/, '.dir');
  const here = realpathSync(dataDir);
  if (existsSync(record)) {
    const recorded = readFileSync(record, 'utf8').trim();
    if (recorded === here) return undefined;
    if (readDataDirId(recorded, false) === id) {
      throw new ServerSecretError(
        `This data directory is a copy of ${recorded}, whose server secret stays with it. To run the copy with the same keys, ` +
          `pass --secret-file ${secretPath} (or SHEETGATE_SECRET) explicitly; otherwise start from a fresh data directory.`,
      );
    }
    notices.push({ event: 'server_secret_rebound', message: `The data directory moved from ${recorded}; its server secret ${secretPath} now belongs to ${here}.` });
  }
  return () => {
    mkdirSync(dirname(record), { recursive: true, mode: 0o700 });
    writeFileSync(record, `${here}\n`, { mode: 0o600 });
  };
}

function legacyLeftBehind(dataDir: string): LoadedSecret['notices'] {
  if (!existsSync(join(dataDir, LEGACY_SECRET_FILE))) return [];
  return [{
    event: 'server_secret_unused',
    message: `SHEETGATE_SECRET is set, yet the data directory still holds a ${LEGACY_SECRET_FILE} file: it is unused, and a copy of the directory would carry it. Delete it once you no longer need it.`,
  }];
}

function missing(dataDir: string, looked: string | null): ServerSecretError {
  return new ServerSecretError(
    `No server secret for the data directory ${dataDir}${looked ? ` (looked for ${looked})` : ''}: its keys cannot be checked without it. ` +
      'Restore the secret file from your backup, or pass --secret-file FILE or SHEETGATE_SECRET. ' +
      'A copy of a data directory never carries its secret.',
  );
}
