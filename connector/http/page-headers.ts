/**
 * Headers for a page that holds admin credentials or keys (the console, the API reference): the
 * strictest policy that still runs it. Scripts, styles and requests only from this origin, no
 * inline code, no framing, no forms posted anywhere else, no referrer. `images` adds sources a
 * page's own stylesheet needs (Swagger UI draws its icons as `data:` URLs).
 */
export function strictPageHeaders(images: readonly string[] = []): Record<string, string> {
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    ["img-src 'self'", ...images].join(' '),
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { 'Content-Security-Policy': policy, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' };
}
