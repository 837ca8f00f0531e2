import { authorize } from '../credentials/lifecycle';
import type { OpenedServices } from '../services';
import { CLI_ACTOR } from '../security/actor';
import { createUser, setGrants, setSettings } from '../security/users';
import { seedDemoData } from './seed-data';
import { DEMO_USERS } from './users';

export interface DemoCredential {
  username: string;
  description: string;
  token: string;
  key: string;
}

/**
 * Prepares a new data directory exactly once: with the demo (organizations, teams, rows, users)
 * unless told not to. Returns the demo pairs to print, or null when nothing was seeded.
 */
export async function initializeDataDir(services: OpenedServices, options: { demo: boolean }): Promise<DemoCredential[] | null> {
  if (!services.isNew || (await services.store.security.countUsers()) > 0) return null;
  if (!options.demo) {
    await services.store.security.transaction(async () => {}); // writes the empty file: the directory is initialized
    return null;
  }
  await seedDemoData(services.store, services.tables);
  const issued: DemoCredential[] = [];
  for (const demo of DEMO_USERS) {
    const { grants, settings, authorized, ...profile } = demo;
    const user = await createUser(services, CLI_ACTOR, profile);
    await setGrants(services, CLI_ACTOR, user.id, grants);
    await setSettings(services, CLI_ACTOR, user.id, settings);
    if (authorized) {
      const { token, key } = await authorize(services, CLI_ACTOR, user.id);
      issued.push({ username: demo.username, description: demo.description, token, key });
    }
  }
  return issued;
}

/** Shown once, on the first start, so a newcomer can paste a pair into Excel or curl. */
export function printDemoCredentials(credentials: DemoCredential[], url: string): void {
  const lines = [
    `Sheetgate connector on ${url} with demo data (API reference: ${url}/docs, task pane: ${url}/taskpane.html).`,
    'Demo credentials, shown this once (an admin can copy a key again later):',
    ...credentials.flatMap((c) => [`  ${c.username}: ${c.description}`, `    X-Api-Token: ${c.token}`, `    X-Api-Key:   ${c.key}`]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
