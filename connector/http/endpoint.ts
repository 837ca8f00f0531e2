import type { Context } from 'hono';

/** Where callers reach this connector: the configured public URL, else the origin they asked. */
export function endpointOf(c: Context, publicUrl: string | null): string {
  return publicUrl ?? new URL(c.req.url).origin;
}
