import type { SignIn } from './client';

// The sign-in lives in this tab's sessionStorage (or only in memory where that is unavailable): it
// survives a reload, ends with the tab, and never reaches a URL, localStorage or a cookie.

const KEY = 'sheetgate.console.sign-in';

export interface SessionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export class Session {
  private memory: SignIn | null = null;

  constructor(private readonly storage: SessionStore | null) {}

  load(): SignIn | null {
    if (this.memory) return this.memory;
    const raw = this.read();
    this.memory = raw ? parseSignIn(raw) : null;
    return this.memory;
  }

  save(signIn: SignIn): void {
    this.memory = signIn;
    try {
      this.storage?.setItem(KEY, JSON.stringify(signIn));
    } catch {
      // Storage full or blocked: the sign-in still holds in memory for this page.
    }
  }

  forget(): void {
    this.memory = null;
    try {
      this.storage?.removeItem(KEY);
    } catch {
      // Nothing stored, nothing to forget.
    }
  }

  private read(): string | null {
    try {
      return this.storage?.getItem(KEY) ?? null;
    } catch {
      return null;
    }
  }
}

function parseSignIn(raw: string): SignIn | null {
  try {
    const value = JSON.parse(raw) as Partial<Record<string, unknown>>;
    if (value.kind === 'pair' && typeof value.token === 'string' && typeof value.key === 'string') {
      return { kind: 'pair', token: value.token, key: value.key };
    }
    if (value.kind === 'admin-key' && typeof value.adminKey === 'string') return { kind: 'admin-key', adminKey: value.adminKey };
  } catch {
    // A damaged entry is no sign-in.
  }
  return null;
}
