import type { Command } from 'commander';
import { findUser } from './find-user';
import { adminCommand, type AdminOptions } from './options';
import { print } from './print';
import { withAdmin } from './with-admin';

/** `sheetgate authorize USER` and `sheetgate revoke USER`: a user's API access on and off. */
export function addAccessCommands(program: Command, env: NodeJS.ProcessEnv): void {
  adminCommand(program, 'authorize')
    .description('turn API access on and print a NEW token and key (every time)')
    .argument('<user>', 'username, e-mail or id')
    .action(async (name: string, options: AdminOptions, command: Command) => {
      const answer = await withAdmin(command, env, async (admin) => admin.setApiAccess((await findUser(admin, name)).id, true));
      print(options.json, answer, () =>
        answer.authorized ? `X-Api-Token: ${answer.credential.token}\nX-Api-Key:   ${answer.credential.key}` : 'API access is off.',
      );
    });

  adminCommand(program, 'revoke')
    .description('turn API access off: every credential of the user is revoked at once')
    .argument('<user>', 'username, e-mail or id')
    .action(async (name: string, options: AdminOptions, command: Command) => {
      const { username, answer } = await withAdmin(command, env, async (admin) => {
        const user = await findUser(admin, name);
        return { username: user.username, answer: await admin.setApiAccess(user.id, false) };
      });
      print(options.json, answer, () => `API access of "${username}" is off; every credential of it was revoked.`);
    });
}
