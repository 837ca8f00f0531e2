// A cursor is opaque to clients: JSON in base64url. Anything else a client sends as one reads as
// undefined, for the caller to refuse with its own sentence.

export function encodeOpaque(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeOpaque(cursor: string): unknown {
  try {
    return /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
}
