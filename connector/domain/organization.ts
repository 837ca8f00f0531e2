import { z } from '@hono/zod-openapi';
import { timestamp } from './timestamp';

// What an admin may send to add an organization or a team (validated by their services).

export const NewOrganizationBody = z
  .object({ name: z.string().trim().min(1).max(200), kind: z.enum(['provider', 'client']), parent: z.string().max(100).nullable().optional() })
  .strict();

export const NewTeamBody = z.object({ name: z.string().trim().min(1).max(200) }).strict();

/** An organization: a provider, or a client (of a provider, its `parent`, or of none). */
export const OrganizationSchema = z
  .object({ id: z.string(), name: z.string(), kind: z.enum(['provider', 'client']), parent: z.string().nullable(), createdAt: timestamp })
  .openapi('Organization');
export type Organization = z.infer<typeof OrganizationSchema>;

export const TeamSchema = z.object({ id: z.string(), name: z.string(), createdAt: timestamp }).openapi('Team');
export type Team = z.infer<typeof TeamSchema>;
