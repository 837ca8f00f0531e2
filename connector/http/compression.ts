import { gzipSync } from 'node:zlib';

// Negotiated compression of /v1 JSON answers, off unless the operator sets a threshold
// (`SHEETGATE_COMPRESS_ABOVE_BYTES`). Measured (docs/PERFORMANCE.md, row 8): gzip at level 1
// costs about as much CPU as serving the page does, for ~85 % fewer bytes; higher levels and
// brotli cost 2-3x more for a few percent, so only gzip level 1 is offered.

/** The Vary of an answer that may be compressed: it depends on Accept-Encoding as on Origin. */
export const VARY_ENCODED = 'Origin, Accept-Encoding';

/**
 * Whether `acceptEncoding` (RFC 9110 §12.5.3) takes gzip: `gzip` or `x-gzip` with q > 0, or `*`
 * with q > 0 when gzip is not named. A missing header takes nothing: we send identity.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  let named: boolean | undefined;
  let any = false;
  for (const item of acceptEncoding.split(',')) {
    const [coding, ...params] = item.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const takes = Number.isFinite(weight) && weight > 0;
    if (coding.trim() === 'gzip' || coding.trim() === 'x-gzip') named = (named ?? false) || takes;
    else if (coding.trim() === '*') any = takes;
  }
  return named ?? any;
}

export interface Encoded {
  body: string | Uint8Array<ArrayBuffer>;
  /** Headers the encoding adds (lower-case names): Vary whenever compression is on, Content-Encoding when used. */
  headers: Record<string, string>;
}

/** `body` gzipped when compression is on (`above` not null), the body is larger and the caller takes gzip. */
export function encode(body: string | Uint8Array<ArrayBuffer>, acceptEncoding: string | undefined, above: number | null): Encoded {
  if (above === null) return { body, headers: {} };
  const vary = { vary: VARY_ENCODED };
  if (!isLarger(body, above) || !acceptsGzip(acceptEncoding)) return { body, headers: vary };
  return { body: new Uint8Array(gzipSync(body, { level: 1 })), headers: { ...vary, 'content-encoding': 'gzip' } };
}

function isLarger(body: string | Uint8Array, above: number): boolean {
  // UTF-8 takes at least a byte per character: a long text is decided without measuring it.
  return typeof body === 'string' ? body.length > above || Buffer.byteLength(body) > above : body.byteLength > above;
}
