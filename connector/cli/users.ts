import type { Command } from 'commander';
import type { Grants, User } from '../../console/src/client';
import { CliError } from './cli-error';
import { allUsers, findUser } from './find-user';
import { adminCommand, collect, type AdminOptions } from './options';
import { print } from './print';
import { withAdmin } from './with-admin';

const ACTIONS = 'list, show, create, grant, settings, activate, deactivate, delete';

interface CreateOptions extends AdminOptions {
  username: string;
  email: string;
  name?: string;
  surname?: string;
  description?: string;
  kind: string;
  role?: string[];
  org?: string[];
  team?: string[];
  allowedIp?: string[];
}

interface SettingsOptions extends AdminOptions {
  warehouse?: string;
  priceCustomer?: string;
}

/** `sheetgate users ...`: the admin routes' user management, from the command line. */
export function addUsersCommands(program: Command, env: NodeJS.ProcessEnv): void {
  const users = program
    .command('users')
    .description(`manage users: ${ACTIONS}`)
    .usage('<action> [options]')
    .argument('[action]')
    .action((action: string | undefined) => {
      throw new CliError(action ? `Unknown users action "${action}"; the actions are ${ACTIONS}.` : `Name a users action: ${ACTIONS}.`);
    });

  adminCommand(users, 'list')
    .description('list the users you may manage, with a header row')
    .option('--query <text>', 'only users whose username, e-mail, name or surname contains it')
    .action(async (options: AdminOptions & { query?: string }, command: Command) => {
      const found = await withAdmin(command, env, (admin) => allUsers(admin, options.query));
      print(options.json, { users: found, nextCursor: null }, () => listing(found));
    });

  adminCommand(users, 'show')
    .description('show one user (by username, e-mail or id)')
    .argument('<user>', 'username, e-mail or id')
    .action(async (name: string, options: AdminOptions, command: Command) => {
      const user = await withAdmin(command, env, (admin) => findUser(admin, name));
      print(options.json, user, () => details(user));
    });

  adminCommand(users, 'create')
    .description('create a user; API access stays off until you authorize it')
    .requiredOption('--username <name>', 'unique username')
    .requiredOption('--email <email>', 'unique e-mail address')
    .option('--name <name>', 'first name')
    .option('--surname <surname>', 'surname')
    .option('--description <text>', 'what the user is for')
    .option('--kind <kind>', '"portal", or "api" for a user that never signs in to the portal', 'portal')
    .option('--role <role>', 'a role (repeatable): member, portal-admin or system-admin; default member', collect)
    .option('--org <id>', 'an organization id (repeatable)', collect)
    .option('--team <id>', 'a team id (repeatable)', collect)
    .option('--allowed-ip <range>', 'an IP address or CIDR range it may call from (repeatable; none = any)', collect)
    .action(async (options: CreateOptions, command: Command) => {
      const user = await withAdmin(command, env, (admin) =>
        admin.createUser({
          username: options.username,
          email: options.email,
          name: options.name,
          surname: options.surname,
          description: options.description,
          // Checked by the same service as the route's body, so both refuse the same input alike.
          kind: options.kind as 'portal' | 'api',
          roles: (options.role ?? ['member']) as User['roles'],
          organizations: options.org ?? [],
          teams: options.team ?? [],
          allowedIps: options.allowedIp ?? [],
        }),
      );
      print(options.json, user, () => `Created "${user.username}" (${user.id}); API access is off until you authorize it.`);
    });

  adminCommand(users, 'grant')
    .description("set the highest format per table (none, basic, standard, detail, expanded); prints every grant")
    .argument('<user>', 'username, e-mail or id')
    .argument('<grants...>', 'TABLE=FORMAT, e.g. customers=standard')
    .action(async (name: string, pairs: string[], options: AdminOptions, command: Command) => {
      // The formats are checked by the service, as the route's body is.
      const grants = Object.fromEntries(pairs.map(parseGrant)) as Grants;
      const all = await withAdmin(command, env, async (admin) => admin.setGrants((await findUser(admin, name)).id, grants));
      print(options.json, { grants: all }, () => Object.entries(all).map(([table, format]) => `${table}\t${format}`).join('\n'));
    });

  adminCommand(users, 'settings')
    .description('set the stock warehouse and the customer whose prices the user sees')
    .argument('<user>', 'username, e-mail or id')
    .option('--warehouse <code>', 'stock warehouse ("" for none)')
    .option('--price-customer <code>', 'the customer whose prices are shown ("" for none)')
    .action(async (name: string, options: SettingsOptions, command: Command) => {
      const settings = await withAdmin(command, env, async (admin) =>
        admin.setSettings((await findUser(admin, name)).id, {
          ...(options.warehouse !== undefined && { warehouse: options.warehouse }),
          ...(options.priceCustomer !== undefined && { priceCustomer: options.priceCustomer }),
        }),
      );
      print(options.json, { settings }, () => `warehouse\t${settings.warehouse ?? ''}\npriceCustomer\t${settings.priceCustomer ?? ''}`);
    });

  for (const action of ['activate', 'deactivate'] as const) {
    adminCommand(users, action)
      .description(action === 'activate' ? 'let the user in again' : 'refuse every request of the user (403 user_inactive) until activated')
      .argument('<user>', 'username, e-mail or id')
      .action(async (name: string, options: AdminOptions, command: Command) => {
        const user = await withAdmin(command, env, async (admin) => admin.updateUser((await findUser(admin, name)).id, { active: action === 'activate' }));
        print(options.json, user, () => `"${user.username}" is ${action === 'activate' ? 'active' : 'deactivated'}.`);
      });
  }

  adminCommand(users, 'delete', { json: false })
    .description('delete the user; every credential of it stops working at once')
    .argument('<user>', 'username, e-mail or id')
    .action(async (name: string, _options: AdminOptions, command: Command) => {
      const username = await withAdmin(command, env, async (admin) => {
        const user = await findUser(admin, name);
        await admin.deleteUser(user.id);
        return user.username;
      });
      process.stdout.write(`Deleted "${username}"; its credentials stopped working.\n`);
    });
}

const COLUMNS = ['USERNAME', 'E-MAIL', 'ROLES', 'STATUS', 'API', 'ID'];

function listing(users: User[]): string {
  const rows = users.map((u) => [u.username, u.email, u.roles.join(','), u.active ? 'active' : 'inactive', `api ${u.apiAccess.authorized ? 'on' : 'off'}`, u.id]);
  return [COLUMNS, ...rows].map((columns) => columns.join('\t')).join('\n');
}

function details(user: User): string {
  const list = (values: string[], none: string) => (values.length > 0 ? values.join(', ') : none);
  const grants = Object.entries(user.grants).map(([table, format]) => `${table}=${format}`);
  const lines: Array<[string, string]> = [
    ['Username', user.username],
    ['Id', user.id],
    ['E-mail', user.email],
    ['Name', [user.name, user.surname].filter(Boolean).join(' ')],
    ['Description', user.description],
    ['Kind', user.kind],
    ['Roles', list(user.roles, '(none)')],
    ['Organizations', list(user.organizations, '(none)')],
    ['Teams', list(user.teams, '(none)')],
    ['Active', user.active ? 'yes' : 'no'],
    ['Allowed IPs', list(user.allowedIps, 'any')],
    ['API access', user.apiAccess.authorized ? 'on' : 'off'],
    ['Last used', user.lastUsedAt ?? 'never'],
    ['Grants', list(grants, '(none)')],
    ['Stock warehouse', user.settings.warehouse || '(none)'],
    ['Prices for customer', user.settings.priceCustomer || '(none)'],
  ];
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  return lines.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n');
}

function parseGrant(text: string): [string, string] {
  const [table, format, extra] = text.split('=');
  if (!table || !format || extra !== undefined) throw new CliError(`"${text}" is not TABLE=FORMAT (e.g. customers=standard).`);
  return [table, format];
}
