import { ROLES, type Role } from '../contract';
import { recordAudit } from '../audit';
import type { OpenedServices } from '../services';
import { OPERATOR } from '../security/principal';
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
  const audit = (services: OpenedServices, what: string, username: string) =>
    recordAudit(services.store.audit, { principal: OPERATOR, action: what, target: username, ip: null, at: services.now() });

  const output = await withDataDir(values, env, async (services) => {
    switch (action) {
      case 'list': {
        const users = listUsers(services, OPERATOR).map((user) => describeUser(services, user));
        if (values.json) return JSON.stringify(users, null, 2);
        return users
          .map((u) => `${u.username}\t${u.email}\t${u.roles.join(',')}\t${u.active ? 'active' : 'inactive'}\tapi ${u.apiAccess.authorized ? 'on' : 'off'}\t${u.id}`)
          .join('\n');
      }
      case 'create': {
        if (values.kind !== 'portal' && values.kind !== 'api') throw new CliError('--kind must be "portal" or "api".');
        const roles = (values.role ?? ['member']).map(checkRole);
        const user = await createUser(services, OPERATOR, {
          username: requireOption(values.username, 'username', USAGE),
          email: requireOption(values.email, 'email', USAGE),
          name: values.name,
          kind: values.kind,
          roles,
          organizations: values.org ?? [],
          teams: values.team ?? [],
        });
        audit(services, 'user.create', user.username);
        return values.json ? JSON.stringify(describeUser(services, user), null, 2) : `Created "${user.username}" (${user.id}); API access is off until you authorize it.`;
      }
      case 'grant': {
        const user = findUser(services, target, USAGE);
        if (rest.length === 0) throw new CliError(`Name at least one TABLE=FORMAT. Usage: ${USAGE}`);
        const grants = Object.fromEntries(rest.map(parseGrant));
        const all = await setGrants(services, OPERATOR, user.id, grants);
        audit(services, `grants.set ${JSON.stringify(grants)}`, user.username);
        return Object.entries(all).map(([table, format]) => `${table}\t${format}`).join('\n');
      }
      case 'settings': {
        const user = findUser(services, target, USAGE);
        const changed = await setSettings(services, OPERATOR, user.id, {
          ...(values.warehouse !== undefined && { warehouse: values.warehouse }),
          ...(values['price-customer'] !== undefined && { priceCustomer: values['price-customer'] }),
        });
        audit(services, 'settings.set', user.username);
        return JSON.stringify(changed.settings);
      }
      case 'activate':
      case 'deactivate': {
        const user = findUser(services, target, USAGE);
        await updateUser(services, OPERATOR, user.id, { active: action === 'activate' });
        audit(services, `user.update active`, user.username);
        return `"${user.username}" is ${action === 'activate' ? 'active' : 'deactivated'}.`;
      }
      case 'delete': {
        const user = findUser(services, target, USAGE);
        await deleteUser(services, OPERATOR, user.id);
        audit(services, 'user.delete', user.username);
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
