import type { User, UserPage } from '../client';
import { hrefOf } from '../routes';
import { button, field, h, replaceChildren, when } from './dom';
import type { PageContext } from './page';

const SEARCH_DELAY_MS = 250;

/** The users the admin may manage: a search box, one page at a time, and `New user`. */
export function usersPage(ctx: PageContext): HTMLElement {
  const search = field('Search users', h('input', { type: 'search', autocomplete: 'off', spellcheck: 'false' }), 'Username, e-mail, name or surname.');
  const list = h('ul', { class: 'user-list', 'aria-label': 'Users' });
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const previous = button('Previous page', () => void show(cursors.pop() ?? null, false));
  const next = button('Next page', () => void show(page?.nextCursor ?? null, true));
  const cursors: (string | null)[] = [];
  let current: string | null = null;
  let page: UserPage | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  async function show(cursor: string | null, forward: boolean): Promise<void> {
    const ask = ++asked;
    try {
      const answer = await ctx.client.listUsers({ q: search.control.value.trim(), cursor });
      if (ask !== asked) return; // a later search already answered
      if (forward && page) cursors.push(current);
      current = cursor;
      page = answer;
      replaceChildren(list, ...answer.users.map(userItem));
      summary.textContent = answer.users.length === 0 ? 'No users match.' : `${answer.users.length} user${answer.users.length === 1 ? '' : 's'} on this page.`;
      previous.disabled = cursor === null;
      next.disabled = answer.nextCursor === null;
    } catch (error) {
      ctx.fail(error);
    }
  }

  search.control.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      cursors.length = 0;
      page = null;
      void show(null, false);
    }, SEARCH_DELAY_MS);
  });
  previous.disabled = true;
  next.disabled = true;
  void show(null, false);

  return h(
    'section',
    { 'aria-labelledby': 'users-heading' },
    h('div', { class: 'page-head' }, h('h2', { id: 'users-heading' }, 'Users'), button('New user', () => ctx.go({ page: 'new-user' }), { class: 'primary' })),
    search.wrapper,
    summary,
    list,
    h('div', { class: 'actions' }, previous, next),
  );
}

function userItem(user: User): HTMLLIElement {
  const fullName = [user.name, user.surname].filter(Boolean).join(' ');
  const facts = [
    fullName,
    user.email,
    user.active ? 'active' : 'inactive',
    user.apiAccess.authorized ? 'API access on' : 'API access off',
    `last used ${when(user.lastUsedAt)}`,
  ].filter(Boolean);
  return h('li', {}, h('a', { href: hrefOf({ page: 'user', id: user.id }), class: 'name' }, user.username), h('span', { class: 'meta' }, facts.join(' · ')));
}
