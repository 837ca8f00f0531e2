import { authorize, deauthorize } from '../credentials/lifecycle';
import { CLI_ACTOR } from '../security/actor';
import { findUser } from './find-user';
import { withDataDir } from './open-data-dir';
import { DATA_OPTION, parseCommand } from './options';

const AUTHORIZE_USAGE = 'sheetgate authorize USER [--data DIR [--secret-file FILE] | --database-url URL] [--json]';
const REVOKE_USAGE = 'sheetgate revoke USER [--data DIR [--secret-file FILE] | --database-url URL]';

/** Turns a user's API access on and prints the NEW token and key. */
export async function authorizeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseCommand(args, { ...DATA_OPTION, json: { type: 'boolean', default: false } }, AUTHORIZE_USAGE);
  const pair = await withDataDir(values, env, async (services) => {
    const user = await findUser(services, positionals[0], AUTHORIZE_USAGE);
    const credential = await authorize(services, CLI_ACTOR, user.id);
    return { token: credential.token, key: credential.key };
  });
  process.stdout.write(values.json ? `${JSON.stringify(pair)}\n` : `X-Api-Token: ${pair.token}\nX-Api-Key:   ${pair.key}\n`);
}

/** Turns a user's API access off: every credential of it is revoked. */
export async function revokeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseCommand(args, DATA_OPTION, REVOKE_USAGE);
  const username = await withDataDir(values, env, async (services) => {
    const user = await findUser(services, positionals[0], REVOKE_USAGE);
    await deauthorize(services, CLI_ACTOR, user.id);
    return user.username;
  });
  process.stdout.write(`API access of "${username}" is off; every credential of it was revoked.\n`);
}
