import { KEY_PREFIX } from '../contract';
import { isWellFormedKey } from '../credentials/key-format';

const PREFIXED_KEY = /sgk_[0-9A-Za-z]*/gi;
/** How long a key is without its prefix. */
const BARE_KEY_LENGTH = 49;
/** A run as long as a key without its prefix; redacted only when its checksum says it is one. */
const BARE_KEY = /(?<![0-9A-Za-z])[0-9A-Za-z]{49}(?![0-9A-Za-z])/g;
/** What PREFIXED_KEY finds, or an escape that could decode to it. */
const PREFIX_OR_ESCAPE = /sgk_|%/i;
/** Percent-escapes of ASCII, the only characters a key is made of. */
const ASCII_ESCAPE = /%[0-7][0-9A-Fa-f]/g;
/** Decoding rounds: the router decodes a path once and a parameter again; a few more cost nothing. */
const MAX_ROUNDS = 5;

/**
 * A key in a URL path, a query or a header must not reach a log, the audit file or an error
 * message, in any encoding the router accepts: percent-escapes (once, twice, in any case) are
 * decoded before looking, and a key's body without its prefix is found by its checksum. Text
 * without a key comes back as it was; text with one comes back decoded, every key redacted.
 */
export function redactKeys(text: string): string {
  // Most text (a path, a query value, a request id) is shorter than a key's body and shows neither
  // its prefix nor an escape: nothing in it can be a key. This runs several times per request.
  if (text.length < BARE_KEY_LENGTH && !PREFIX_OR_ESCAPE.test(text)) return text;
  const decoded = decodeAscii(text);
  const redacted = decoded
    .replace(PREFIXED_KEY, `${KEY_PREFIX}[redacted]`)
    .replace(BARE_KEY, (run) => (isWellFormedKey(`${KEY_PREFIX}${run}`) ? '[redacted]' : run));
  return redacted === decoded ? text : redacted;
}

/** True when `text` holds a key, in any encoding `redactKeys` sees through. */
export function containsKey(text: string): boolean {
  return redactKeys(text) !== text;
}

function decodeAscii(text: string): string {
  let current = text;
  for (let round = 0; round < MAX_ROUNDS && current.includes('%'); round++) {
    const next = current.replace(ASCII_ESCAPE, (escape) => String.fromCharCode(Number.parseInt(escape.slice(1), 16)));
    if (next === current) break;
    current = next;
  }
  return current;
}

/** File system paths in an error message (`open '/srv/data/security.json'`) must not reach a log. */
export function redactPaths(text: string): string {
  return text
    .replace(/file:\/\/[^\s'"`]+/g, '[path]')
    .replace(/(^|[\s'"`(=])(?:[A-Za-z]:)?[\\/][^\s'"`()]+/g, '$1[path]');
}
