import { z } from '@hono/zod-openapi';

/** An instant as the connector writes it (`toISOString()`, UTC). */
export const timestamp = z.iso.datetime();
