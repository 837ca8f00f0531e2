import type { PastedCredentials } from './paste';

const STORAGE_KEY = 'sheetgate.credentials';

/**
 * Where the pane keeps the analyst's token and key: in memory for this session, and in
 * `localStorage` only when they ask to be remembered. Never in the workbook (settings, custom XML,
 * cells): the file travels, the credentials must not.
 */
export class CredentialStore {
  private current: PastedCredentials | null = null;
  private readonly key: string;

  /**
   * @param storage the device's storage, or null where the browser refuses it (memory only then).
   * @param partitionKey Office's partition key: on Office on the web several add-ins share one
   *   origin's storage, so the key is part of the storage key where Office provides one.
   */
  constructor(
    private readonly storage: Storage | null,
    partitionKey?: string | null,
  ) {
    this.key = `${partitionKey ?? ''}${STORAGE_KEY}`;
  }

  /** The credentials in use, else the remembered ones, else null. */
  load(): PastedCredentials | null {
    return this.current ?? this.readRemembered();
  }

  isRemembered(): boolean {
    return this.readRemembered() !== null;
  }

  /** Keeps the credentials for this session; on the device too only when `remember` is set. */
  keep(credentials: PastedCredentials, remember: boolean): void {
    this.current = { ...credentials };
    if (remember) this.tryStorage((s) => s.setItem(this.key, JSON.stringify(credentials)), undefined);
    else this.tryStorage((s) => s.removeItem(this.key), undefined);
  }

  /** Removes them everywhere: memory, the partitioned entry and any unpartitioned one. */
  forget(): void {
    this.current = null;
    this.tryStorage((s) => {
      s.removeItem(this.key);
      s.removeItem(STORAGE_KEY);
    }, undefined);
  }

  private readRemembered(): PastedCredentials | null {
    const raw = this.tryStorage((s) => s.getItem(this.key), null);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<PastedCredentials>;
      return typeof parsed.url === 'string' && typeof parsed.token === 'string' && typeof parsed.key === 'string'
        ? { url: parsed.url, token: parsed.token, key: parsed.key }
        : null;
    } catch {
      return null;
    }
  }

  // Storage can throw (blocked third-party storage in a framed pane, quota): memory still works.
  private tryStorage<T>(action: (storage: Storage) => T, fallback: T): T {
    if (!this.storage) return fallback;
    try {
      return action(this.storage);
    } catch {
      return fallback;
    }
  }
}

/** `window.localStorage`, or null where merely touching it throws. */
export function deviceStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
