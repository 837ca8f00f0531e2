import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { KEY_PREFIX, TOKEN_PREFIX } from '../contract';

// Tokens and keys: a recognizable prefix (so scanners and people know what leaked), base62 random
// body (double-click selects it whole), and a CRC32 checksum so a mistyped or truncated value is
// refused before any lookup.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_LENGTH = 6;
const KEY_BYTES = 32;
const TOKEN_BYTES = 16;
const KEY_BODY_LENGTH = base62Length(KEY_BYTES);
const TOKEN_BODY_LENGTH = base62Length(TOKEN_BYTES);

export function generateKey(): string {
  return withChecksum(KEY_PREFIX, base62(fromBytes(randomBytes(KEY_BYTES)), KEY_BODY_LENGTH));
}

export function generateToken(): string {
  return withChecksum(TOKEN_PREFIX, base62(fromBytes(randomBytes(TOKEN_BYTES)), TOKEN_BODY_LENGTH));
}

export function isWellFormedKey(value: string): boolean {
  return hasValidChecksum(value, KEY_PREFIX, KEY_BODY_LENGTH);
}

export function isWellFormedToken(value: string): boolean {
  return hasValidChecksum(value, TOKEN_PREFIX, TOKEN_BODY_LENGTH);
}

function withChecksum(prefix: string, body: string): string {
  return `${prefix}${body}${checksum(prefix + body)}`;
}

function hasValidChecksum(value: string, prefix: string, bodyLength: number): boolean {
  if (value.length !== prefix.length + bodyLength + CHECKSUM_LENGTH || !value.startsWith(prefix)) return false;
  const payload = value.slice(0, -CHECKSUM_LENGTH);
  if (!/^[0-9A-Za-z]+$/.test(value.slice(prefix.length))) return false;
  return checksum(payload) === value.slice(-CHECKSUM_LENGTH);
}

function checksum(payload: string): string {
  return base62(crc32(payload), CHECKSUM_LENGTH);
}

function fromBytes(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex') || '0'}`);
}

/** `value` in base62, zero-padded to `length`. A number (a CRC32, two checked per request) skips BigInt. */
function base62(value: number | bigint, length: number): string {
  let out = '';
  if (typeof value === 'number') {
    for (; value > 0; value = Math.floor(value / 62)) out = ALPHABET[value % 62] + out;
  } else {
    for (; value > 0n; value /= 62n) out = ALPHABET[Number(value % 62n)] + out;
  }
  return out.padStart(length, '0');
}

function base62Length(bytes: number): number {
  return Math.ceil((bytes * 8) / Math.log2(62));
}
