import type { Command } from 'commander';
import { authorize } from '../credentials/lifecycle';
import { initializeDataDir } from '../demo/initialize';
import { CLI_ACTOR } from '../security/actor';
import { createUser } from '../security/users';
import { withDataDir } from './open-data-dir';
import { storeOptions, type StoreOptions } from './options';

interface BootstrapOptions extends StoreOptions {
  username: string;
  email: string;
  json?: boolean;
}

/** `sheetgate bootstrap-admin`: creates an authorized system admin and prints its token and key, once. */
export function addBootstrapAdminCommand(program: Command, env: NodeJS.ProcessEnv): void {
  storeOptions(program.command('bootstrap-admin'))
    .description('create an authorized system admin and print its token and key (a new data directory is first set up as serve would)')
    .requiredOption('--username <name>', "the admin's username")
    .requiredOption('--email <email>', "the admin's e-mail address")
    .option('--json', 'print {"token": ..., "key": ...} only')
    .action(async (options: BootstrapOptions) => {
      const pair = await withDataDir(
        options,
        env,
        async (services) => {
          await initializeDataDir(services, { demo: true });
          const user = await createUser(services, CLI_ACTOR, { username: options.username, email: options.email, kind: 'portal', roles: ['system-admin'] });
          const credential = await authorize(services, CLI_ACTOR, user.id);
          return { token: credential.token, key: credential.key };
        },
        { create: true },
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(pair)}\n`);
      } else {
        process.stdout.write(
          `System admin "${options.username}" created. Copy these now; the key is shown once here (an admin can copy it again later):\n` +
            `  X-Api-Token: ${pair.token}\n  X-Api-Key:   ${pair.key}\n`,
        );
      }
    });
}
