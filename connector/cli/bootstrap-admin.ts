import { authorize } from '../credentials/lifecycle';
import { initializeDataDir } from '../demo/initialize';
import { CLI_ACTOR } from '../security/actor';
import { createUser } from '../security/users';
import { withDataDir } from './open-data-dir';
import { DATA_OPTION, parseCommand, requireOption } from './options';

const USAGE = 'sheetgate bootstrap-admin (--data DIR [--secret-file FILE] | --database-url URL) --username NAME --email EMAIL [--json]';

/** Creates an authorized system admin and prints its token and key, once. */
export async function bootstrapAdminCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseCommand(
    args,
    { ...DATA_OPTION, username: { type: 'string' }, email: { type: 'string' }, json: { type: 'boolean', default: false } },
    USAGE,
  );
  const username = requireOption(values.username, 'username', USAGE);
  const email = requireOption(values.email, 'email', USAGE);
  const pair = await withDataDir(values, env, async (services) => {
    await initializeDataDir(services, { demo: true });
    const user = await createUser(services, CLI_ACTOR, { username, email, kind: 'portal', roles: ['system-admin'] });
    const credential = await authorize(services, CLI_ACTOR, user.id);
    return { token: credential.token, key: credential.key };
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(pair)}\n`);
  } else {
    process.stdout.write(
      `System admin "${username}" created. Copy these now; the key is shown once here (an admin can copy it again later):\n` +
        `  X-Api-Token: ${pair.token}\n  X-Api-Key:   ${pair.key}\n`,
    );
  }
}
