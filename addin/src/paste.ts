import { KEY_PREFIX, TOKEN_PREFIX } from '../../connector/contract';

export interface PastedCredentials {
  url: string;
  token: string;
  key: string;
}

/**
 * The paste as it is meant: a token or key copied with a stray space or line break at either end
 * is what the analyst meant to paste (issue 12), so the ends are trimmed; whitespace inside is not
 * trimmed away, since that is a different key.
 */
export function trimPaste({ url, token, key }: PastedCredentials): PastedCredentials {
  return { url: url.trim(), token: token.trim(), key: key.trim() };
}

/**
 * Catches the usual copy-paste slips before anything is sent, so a key never travels to the wrong
 * place and the analyst hears what went wrong instead of a bare "invalid credentials".
 * Returns the message to show, or null when the paste looks right.
 */
export function checkPaste(pasted: PastedCredentials): string | null {
  const { url, token, key } = trimPaste(pasted);
  const urlProblem = checkUrl(url);
  if (urlProblem) return urlProblem;
  if (!token || !key) return 'Paste your API token and API key, then press Connect.';
  if (token.startsWith(KEY_PREFIX) && key.startsWith(TOKEN_PREFIX)) {
    return `The API token and API key look swapped: the token starts with ${TOKEN_PREFIX} and the key with ${KEY_PREFIX}. Paste each into its own box.`;
  }
  if (/\s/.test(token)) return 'The API token has spaces or line breaks in it. Copy it again, without them.';
  if (/\s/.test(key)) return 'The API key has spaces or line breaks in it. Copy it again, without them.';
  if (token.startsWith(KEY_PREFIX)) {
    return `The API token box holds a key (it starts with ${KEY_PREFIX}). Paste the token, which starts with ${TOKEN_PREFIX}.`;
  }
  if (key.startsWith(TOKEN_PREFIX)) {
    return `The API key box holds a token (it starts with ${TOKEN_PREFIX}). Paste the key, which starts with ${KEY_PREFIX}.`;
  }
  if (!token.startsWith(TOKEN_PREFIX)) return `The API token should start with ${TOKEN_PREFIX}. Copy it again from your administrator.`;
  if (!key.startsWith(KEY_PREFIX)) return `The API key should start with ${KEY_PREFIX}. Copy it again from your administrator.`;
  return null;
}

function checkUrl(url: string): string | null {
  const example = 'like https://localhost:3000';
  if (!url.trim()) return `Enter the Connector URL, ${example}.`;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return `The Connector URL is not a web address. Enter it ${example}.`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return `The Connector URL must start with https://, ${example}.`;
  }
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    // The key travels in a header on every request: over plain HTTP anyone on the network reads it.
    return `The Connector URL must start with https:// (plain http:// is only accepted for a connector on this computer, like http://localhost:3000). Ask your administrator for the secure address.`;
  }
  if (parsed.username || parsed.password || parsed.search) {
    // Credentials belong in their own boxes, never in an address that ends up in logs.
    return 'The Connector URL must be just the address, without a user name or anything after "?".';
  }
  return null;
}

/** This computer: `localhost` (and its subdomains), 127.0.0.0/8, and ::1. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}
