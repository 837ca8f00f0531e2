import type { CredentialHolder } from '../types';

/** How many principals one instance keeps; past it the oldest kept goes first. */
const MAX_HELD = 10_000;
/**
 * How long a kept principal may serve before it is read again even with nothing changed: bounds
 * how far behind another instance's credential usage (`lastUsedAt`, not security state) it shows.
 */
const MAX_AGE_MS = 30_000;

/** What was read for a token: its holder, or undefined for a token that is not there. */
export interface Kept {
  holder: CredentialHolder | undefined;
}

interface Held extends Kept {
  at: number;
}

/**
 * Principals (`findPrincipal`'s answers) kept between requests, by token, each with the
 * `security_version` read in the same statement (migration 005). The invariant: triggers move that
 * version on every change to credentials, users, their settings, memberships and grants,
 * organizations and teams, in the change's own transaction and in whatever way it was made, and
 * versions only grow; so two reads that see one version see one security state. A kept principal
 * is handed out only for a version read just now that equals the one it was read under: a
 * revocation, a deactivation, a grant or an IP list changed on any instance refuses the very next
 * request everywhere, as an uncached read would. A newer version drops everything kept under an
 * older one. Unknown tokens are kept too (as "no such token"): a known token with a wrong key and
 * an unknown one then cost the same read, the first time and every time after, so the time of a
 * refusal does not tell whether a token exists. A flood of made-up tokens only pushes the oldest
 * out (at most `MAX_HELD` are kept), back to one principal read per request.
 */
export class PrincipalCache {
  private version = -1;
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxHeld = MAX_HELD,
  ) {}

  /** Whether a principal is kept for `token`: only then is the version worth reading first. */
  holds(token: string): boolean {
    return this.held.has(token);
  }

  /** What is kept for `token` if `version`, read just now, is the one it was read under. */
  take(token: string, version: number): Kept | undefined {
    this.advance(version);
    const held = this.held.get(token);
    if (held === undefined || version !== this.version) return undefined;
    if (this.now() - held.at > MAX_AGE_MS) {
      this.held.delete(token);
      return undefined;
    }
    return held;
  }

  /** Keeps `holder`, read for `token` in the same statement as `version`. */
  keep(token: string, version: number, holder: CredentialHolder | undefined): void {
    this.advance(version);
    // Read under an older version than one already seen: it may be stale, so it is not kept.
    if (version !== this.version) return;
    this.held.delete(token);
    if (this.held.size >= this.maxHeld) this.held.delete(this.held.keys().next().value as string);
    this.held.set(token, { holder: deepFreeze(holder), at: this.now() });
  }

  /** Forgets every principal (always safe: the next read of each goes to the database). */
  clear(): void {
    this.held.clear();
  }

  private advance(version: number): void {
    if (version <= this.version) return;
    this.held.clear();
    this.version = version;
  }
}

/** Kept objects are shared by every request that takes them: none may change one. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
