import { ROLES, type Role } from '../contract';
import { CLI_ACTOR } from '../security/actor';
import { createUser, deleteUser, describeUser, listUsers, setGrants, setSettings, updateUser } from '../security/users';
import { CliError } from './cli-error';
import { findUser } from './find-user';
import { withDataDir } from './open-data-dir';
import { DATA_OPTION, parseCommand, requireOption } from './options';

const USAGE = [
  'sheetgate users list [--json]',
  'sheetgate users create --username NAME --email EMAIL [--name N] [--kind portal|api] [--role R]... [--org ID]... [--team ID]...',
  'sheetgate users grant USER TABLE=FORMAT...',
  'sheetgate users settings USER [--warehouse W] [--price-customer CODE]',
  'sheetgate users activate|deactivate|delete USER',
].join(' | ');

const OPTIONS = {
  ...DATA_OPTION,
  json: { type: 'boolean', default: false },
  username: { type: 'string' },
  email: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string', default: 'portal' },
  role: { type: 'string', multiple: true },
  org: { type: 'string', multiple: true },
  team: { type: 'string', multiple: true },
  warehouse: { type: 'string' },
  'price-customer': { type: 'string' },
} as const;

/** `sheetgate users ...`: the admin routes' user management, from the command line. */
export async function usersCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseCommand(args, OPTIONS, USAGE);
  const [action, target, ...rest] = positionals;

  const output = await withDataDir(values, env, async (services) => {
    switch (action) {
      case 'list': {
        const users = await Promise.all((await listUsers(services, CLI_ACTOR)).map((user) => describeUser(services.store.security, user)));
        if (values.json) return JSON.stringify(users, null, 2);
        return users
          .map((u) => `${u.username}\t${u.email}\t${u.roles.join(',')}\t${u.active ? 'active' : 'inactive'}\tapi ${u.apiAccess.authorized ? 'on' : 'off'}\t${u.id}`)
          .join('\n');
      }
      case 'create': {
        if (values.kind !== 'portal' && values.kind !== 'api') throw new CliError('--kind must be "portal" or "api".');
        const roles = (values.role ?? ['member']).map(checkRole);
        const user = await createUser(services, CLI_ACTOR, {
          username: requireOption(values.username, 'username', USAGE),
          email: requireOption(values.email, 'email', USAGE),
          name: values.name,
          kind: values.kind,
          roles,
          organizations: values.org ?? [],
          teams: values.team ?? [],
        });
        return values.json ? JSON.stringify(await describeUser(services.store.security, user), null, 2) : `Created "${user.username}" (${user.id}); API access is off until you authorize it.`;
      }
      case 'grant': {
        const user = await findUser(services, target, USAGE);
        if (rest.length === 0) throw new CliError(`Name at least one TABLE=FORMAT. Usage: ${USAGE}`);
        const grants = Object.fromEntries(rest.map(parseGrant));
        const all = await setGrants(services, CLI_ACTOR, user.id, grants);
        return Object.entries(all).map(([table, format]) => `${table}\t${format}`).join('\n');
      }
      case 'settings': {
        const user = await findUser(services, target, USAGE);
        const changed = await setSettings(services, CLI_ACTOR, user.id, {
          ...(values.warehouse !== undefined && { warehouse: values.warehouse }),
          ...(values['price-customer'] !== undefined && { priceCustomer: values['price-customer'] }),
        });
        return JSON.stringify(changed.settings);
      }
      case 'activate':
      case 'deactivate': {
        const user = await findUser(services, target, USAGE);
        await updateUser(services, CLI_ACTOR, user.id, { active: action === 'activate' });
        return `"${user.username}" is ${action === 'activate' ? 'active' : 'deactivated'}.`;
      }
      case 'delete': {
        const user = await findUser(services, target, USAGE);
        await deleteUser(services, CLI_ACTOR, user.id);
        return `Deleted "${user.username}"; its credentials stopped working.`;
      }
      default:
        throw new CliError(`Unknown users action "${action ?? ''}". Usage: ${USAGE}`);
    }
  });
  process.stdout.write(`${output}\n`);
}

function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}, not "${role}".`);
  return role as Role;
}

function parseGrant(text: string): [string, string] {
  const [table, format, extra] = text.split('=');
  if (!table || !format || extra !== undefined) throw new CliError(`"${text}" is not TABLE=FORMAT (e.g. customers=standard).`);
  return [table, format];
}
