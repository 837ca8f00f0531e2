import { z } from '@hono/zod-openapi';

// What an admin may send to add an organization or a team (validated by their services).

export const NewOrganizationBody = z
  .object({ name: z.string().trim().min(1).max(200), kind: z.enum(['provider', 'client']), parent: z.string().max(100).nullable().optional() })
  .strict();

export const NewTeamBody = z.object({ name: z.string().trim().min(1).max(200) }).strict();
