import { grantableTables, mayChangeAccess, pickerChoices } from '../admin';
import type { Organization, Team, User } from '../client';
import { accessSection } from './access-section';
import { busy, button, h, replaceChildren } from './dom';
import type { PageContext } from './page';
import { permissionsSection } from './permissions-section';
import { changedFields, profileForm } from './profile-form';

/** Everything about one user: profile, API access and credentials, permissions, endpoint, delete. */
export function userPage(ctx: PageContext, id: string): HTMLElement {
  const root = h('section', { 'aria-labelledby': 'user-heading' }, h('h2', { id: 'user-heading' }, 'User'), h('p', { class: 'muted' }, 'Loading…'));
  void load();
  return root;

  async function load(): Promise<void> {
    try {
      const [user, access, organizations, teams, tables] = await Promise.all([
        ctx.client.getUser(id),
        ctx.client.getApiAccess(id),
        ctx.client.organizations(),
        ctx.client.teams(),
        grantableTables(ctx.client),
      ]);
      const choices = await pickerChoices(ctx.client, tables);
      render(user, organizations, teams);
      root.append(
        accessSection(ctx, user, access, reloadProfile),
        permissionsSection(ctx, user, tables, choices, reloadProfile),
        endpointSection(ctx.admin.endpoint),
        deleteSection(user),
      );
    } catch (error) {
      replaceChildren(root, h('h2', { id: 'user-heading' }, 'User'), h('p', {}, h('a', { href: '#/users' }, 'Back to users')));
      ctx.fail(error);
    }
  }

  /** The profile reloads in place; the sections below keep their state (a key just shown stays). */
  async function reloadProfile(): Promise<void> {
    const [user, organizations, teams] = await Promise.all([ctx.client.getUser(id), ctx.client.organizations(), ctx.client.teams()]);
    const old = root.querySelector('[data-part="profile"]');
    const fresh = profile(user, organizations, teams);
    if (old) old.replaceWith(fresh);
  }

  function render(user: User, organizations: Organization[], teams: Team[]): void {
    replaceChildren(root, h('p', {}, h('a', { href: '#/users' }, '← All users')), profile(user, organizations, teams));
  }

  function profile(user: User, organizations: Organization[], teams: Team[]): HTMLElement {
    const form = profileForm({
      admin: ctx.admin,
      user,
      organizations,
      teams,
      accessEditable: mayChangeAccess(ctx.admin, user),
      submitLabel: 'Save',
      onSubmit: (values, submit) => {
        const changes = changedFields(user, values);
        if (Object.keys(changes).length === 0) return ctx.done('Nothing changed.');
        void busy(submit, () => ctx.client.updateUser(user.id, changes))
          .then(async (saved) => {
            ctx.done(`Saved ${saved.username}.`);
            await reloadProfile();
          })
          .catch((error: unknown) => ctx.fail(error));
      },
    });
    return h('div', { 'data-part': 'profile' }, h('h2', { id: 'user-heading' }, user.username), form);
  }

  function deleteSection(user: User): HTMLElement {
    const remove = button(
      'Delete user',
      () =>
        void (async () => {
          try {
            const question = `Delete ${user.username}? Every credential of ${user.username} stops working at once. This cannot be undone.`;
            if (!(await ctx.confirm(question, `Delete ${user.username}`))) return;
            await busy(remove, () => ctx.client.deleteUser(user.id));
            ctx.go({ page: 'users' }, `Deleted ${user.username}.`);
          } catch (error) {
            ctx.fail(error);
          }
        })(),
      { class: 'danger' },
    );
    return h('section', { 'aria-labelledby': 'delete-heading' }, h('h2', { id: 'delete-heading' }, 'Delete'), h('div', { class: 'actions' }, remove));
  }
}

/** The address the user pastes into the pane's `Connector URL`. */
export function endpointSection(endpoint: string): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'endpoint-heading' },
    h('h2', { id: 'endpoint-heading' }, 'Connector endpoint'),
    h('p', {}, 'The user pastes this into the Sheetgate pane in Excel, as the Connector URL:'),
    h('p', {}, h('code', { class: 'endpoint', 'data-endpoint': '' }, endpoint)),
  );
}
