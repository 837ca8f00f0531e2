import { busy, h } from './dom';
import type { PageContext } from './page';
import { profileForm } from './profile-form';

/** `New user`: the profile form; API access stays off until the admin ticks it on the user's page. */
export function newUserPage(ctx: PageContext): HTMLElement {
  const root = h('section', { 'aria-labelledby': 'new-user-heading' }, h('h2', { id: 'new-user-heading' }, 'New user'), h('p', { class: 'muted' }, 'Loading…'));
  void (async () => {
    try {
      const [organizations, teams] = await Promise.all([ctx.client.organizations(), ctx.client.teams()]);
      const form = profileForm({
        admin: ctx.admin,
        organizations,
        teams,
        accessEditable: true,
        submitLabel: 'Create user',
        onSubmit: (values, submit) => {
          const { active: _active, ...rest } = values;
          const body = { ...rest, name: rest.name || undefined, surname: rest.surname || undefined, description: rest.description || undefined };
          void busy(submit, () => ctx.client.createUser(body))
            .then((user) => {
              ctx.go({ page: 'user', id: user.id }, `Created ${user.username}. API access is off until you authorize it below.`);
            })
            .catch((error: unknown) => ctx.fail(error));
        },
      });
      root.replaceChildren(h('h2', { id: 'new-user-heading' }, 'New user'), h('p', {}, h('a', { href: '#/users' }, '← All users')), form);
    } catch (error) {
      ctx.fail(error);
    }
  })();
  return root;
}
