import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore } from '../../addin/src/credentials';
import { CREDENTIALS } from './connector-fixture';

/** A device's localStorage. */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  dump(): string {
    return JSON.stringify([...this.items]);
  }
}

describe('CredentialStore', () => {
  it('remembered: kept in localStorage under the Office partition key, found again after a reload', () => {
    const storage = new MemoryStorage();
    new CredentialStore(storage, 'partition-A|').keep(CREDENTIALS, true);
    expect(storage.key(0)).toBe('partition-A|sheetgate.credentials');
    expect(new CredentialStore(storage, 'partition-A|').load()).toEqual(CREDENTIALS);
    // Another add-in's partition on the same origin sees nothing.
    expect(new CredentialStore(storage, 'partition-B|').load()).toBeNull();
  });

  it('works unpartitioned where Office gives no partition key', () => {
    const storage = new MemoryStorage();
    new CredentialStore(storage, undefined).keep(CREDENTIALS, true);
    expect(new CredentialStore(storage, undefined).load()).toEqual(CREDENTIALS);
  });

  it('not remembered: memory only, nothing on the device, gone after a reload', () => {
    const storage = new MemoryStorage();
    const store = new CredentialStore(storage, 'p|');
    store.keep(CREDENTIALS, false);
    expect(store.load()).toEqual(CREDENTIALS);
    expect(store.isRemembered()).toBe(false);
    expect(storage.length).toBe(0);
    expect(new CredentialStore(storage, 'p|').load()).toBeNull();
  });

  it('unticking Remember removes what was remembered before', () => {
    const storage = new MemoryStorage();
    const store = new CredentialStore(storage, 'p|');
    store.keep(CREDENTIALS, true);
    store.keep(CREDENTIALS, false);
    expect(storage.length).toBe(0);
  });

  it('Forget credentials clears memory and the device, partitioned and not', () => {
    const storage = new MemoryStorage();
    storage.setItem('sheetgate.credentials', JSON.stringify(CREDENTIALS)); // left by an older, unpartitioned pane
    const store = new CredentialStore(storage, 'p|');
    store.keep(CREDENTIALS, true);
    store.forget();
    expect(store.load()).toBeNull();
    expect(storage.length).toBe(0);
    expect(storage.dump()).not.toContain(CREDENTIALS.key);
  });

  it('falls back to memory when the browser refuses storage', () => {
    const refusing = new MemoryStorage();
    refusing.setItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    const store = new CredentialStore(refusing, 'p|');
    expect(() => store.keep(CREDENTIALS, true)).not.toThrow();
    expect(store.load()).toEqual(CREDENTIALS);
    expect(new CredentialStore(null).load()).toBeNull();
  });

  it('ignores a corrupted entry instead of failing the pane', () => {
    const storage = new MemoryStorage();
    storage.setItem('p|sheetgate.credentials', '{not json');
    expect(new CredentialStore(storage, 'p|').load()).toBeNull();
  });
});

describe('no pane code writes to document settings or custom XML', () => {
  // The workbook file travels; the only workbook storage the pane may use is for bindings (no
  // secrets, see pull.test.ts). This guards against someone "simply" saving credentials there.
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });

  it('addin/src never touches them (bindings.ts alone uses workbook settings)', () => {
    const sources = files(join(import.meta.dirname, '../../addin/src')).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(10);
    for (const file of sources) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/document\.settings|customXmlParts|\.customXml/);
      if (!file.endsWith('bindings.ts')) expect(source, file).not.toMatch(/workbook\.settings/);
    }
  });
});
