import { authorize } from '../credentials/lifecycle';
import type { OpenedServices } from '../services';
import { OPERATOR } from '../security/principal';
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
  if (!services.isNew || services.store.security.countUsers() > 0) return null;
  if (!options.demo) {
    await services.store.security.update(() => {}); // writes the empty file: the directory is initialized
    return null;
  }
  await seedDemoData(services.store, services.tables);
  const issued: DemoCredential[] = [];
  for (const demo of DEMO_USERS) {
    const user = await createUser(services, OPERATOR, demo);
    await setGrants(services, OPERATOR, user.id, demo.grants);
    await setSettings(services, OPERATOR, user.id, demo.settings);
    if (demo.authorized) {
      const { token, key } = await authorize(services, OPERATOR, user.id);
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
