import { mayChangeAccess } from '../admin';
import type { ApiAccess, Credential, User } from '../client';
import { busy, button, checkbox, field, h, replaceChildren, textInput, when } from './dom';
import type { PageContext } from './page';
import { SecretPair } from './secret-pair';

const DAY_SECONDS = 24 * 60 * 60;

/** API access: the authorize checkbox, the user's credentials, and `New credential`. */
export function accessSection(ctx: PageContext, user: User, initial: ApiAccess, reloadUser: () => Promise<void>): HTMLElement {
  const { client, admin } = ctx;
  const editable = mayChangeAccess(admin, user);
  const secret = new SecretPair((message) => ctx.done(message));
  const authorize = checkbox('Authorize this user to use the Sheetgate API', initial.authorized, { disabled: !editable });
  const tableBody = h('tbody');
  const newCredential = newCredentialForm(ctx, user, secret, () => refresh());
  const newButton = button('New credential', () => {
    newCredential.hidden = !newCredential.hidden;
    if (!newCredential.hidden) newCredential.querySelector('input')?.focus();
  }, { 'aria-expanded': 'false' });
  let access = initial;

  async function refresh(): Promise<void> {
    try {
      access = await client.getApiAccess(user.id);
      render();
    } catch (error) {
      ctx.fail(error);
    }
  }

  function render(): void {
    authorize.control.checked = access.authorized;
    newButton.hidden = !access.authorized || !editable;
    if (newButton.hidden) newCredential.hidden = true;
    newButton.setAttribute('aria-expanded', String(!newCredential.hidden));
    replaceChildren(tableBody, ...(access.credentials.length ? access.credentials.map(row) : [h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No credentials yet.'))]));
  }

  function row(credential: Credential): HTMLTableRowElement {
    const live = credential.revokedAt === null;
    const actions = h('div', { class: 'row-actions' });
    if (live && editable) {
      actions.append(
        button('Copy key', (event) =>
          void act(event, async () => {
            const pair = await client.copyKey(user.id, credential.id);
            secret.show(`Key of "${credential.name}".`, pair, admin.endpoint);
            await secret.copy(pair.key, 'API key');
          }),
        ),
        button('Regenerate', (event) =>
          void act(event, async () => {
            if (!(await ctx.confirm(`Regenerate the key of "${credential.name}"? The old key stops working at once.`, 'Regenerate key'))) return;
            const pair = await client.regenerate(user.id, credential.id);
            secret.show(`New key of "${credential.name}".`, pair, admin.endpoint);
            await refresh();
          }),
        ),
      );
    }
    if (live) {
      actions.append(
        button('Revoke', (event) =>
          void act(event, async () => {
            if (!(await ctx.confirm(`Revoke "${credential.name}" of ${user.username}? It stops working at once.`, 'Revoke credential'))) return;
            await client.revoke(user.id, credential.id);
            secret.hide();
            ctx.done(`Revoked "${credential.name}".`);
            await refresh();
          }),
        ),
      );
    }
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, credential.name),
      h('td', { class: 'token' }, h('code', {}, credential.token)),
      h('td', {}, when(credential.createdAt)),
      h('td', {}, credential.expiresAt ? when(credential.expiresAt) : 'never'),
      h('td', {}, when(credential.lastUsedAt)),
      h('td', {}, credential.lastUsedIp ?? '—'),
      h('td', {}, credential.revokedAt ? when(credential.revokedAt) : 'no'),
      h('td', {}, actions),
    );
  }

  async function act(event: MouseEvent, action: () => Promise<void>): Promise<void> {
    const control = event.currentTarget instanceof HTMLButtonElement ? event.currentTarget : null;
    try {
      await (control ? busy(control, action) : action());
    } catch (error) {
      ctx.fail(error);
    }
  }

  authorize.control.addEventListener('change', () => {
    const on = authorize.control.checked;
    void (async () => {
      try {
        if (!on && !(await ctx.confirm(`Turn off API access of ${user.username}? Every credential of the user is revoked at once.`, 'Revoke API access'))) {
          authorize.control.checked = true;
          return;
        }
        const change = await busy(authorize.control, () => client.setApiAccess(user.id, on));
        if (change.authorized) secret.show(`New API token and key of ${user.username}.`, change.credential, admin.endpoint);
        else {
          secret.hide();
          ctx.done(`API access of ${user.username} turned off; every credential is revoked.`);
        }
        await refresh();
        await reloadUser();
      } catch (error) {
        authorize.control.checked = !on;
        ctx.fail(error);
      }
    })();
  });

  render();
  return h(
    'section',
    { 'aria-labelledby': 'access-heading' },
    h('h2', { id: 'access-heading' }, 'API access'),
    authorize.wrapper,
    secret.element,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'grid-table' },
        h('caption', {}, 'Credentials'),
        h('thead', {}, h('tr', {}, ...['Name', 'Token', 'Created', 'Expires', 'Last used', 'From where', 'Revoked', 'Actions'].map((title) => h('th', { scope: 'col' }, title)))),
        tableBody,
      ),
    ),
    h('div', { class: 'actions' }, newButton),
    newCredential,
  );
}

function newCredentialForm(ctx: PageContext, user: User, secret: SecretPair, refresh: () => Promise<void>): HTMLFormElement {
  const name = field('Credential name', textInput('', { required: true, maxlength: 100 }));
  const days = field('Valid for (days)', textInput('', { inputmode: 'numeric', pattern: '[0-9]*' }), 'Empty: never expires.');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create credential');
  const form = h('form', { class: 'stack inset', hidden: true, novalidate: true }, name.wrapper, days.wrapper, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const daysText = days.control.value.trim();
    if (daysText && !/^\d+$/.test(daysText)) {
      ctx.fail(new Error('Valid for (days) must be a whole number of days, or empty for no expiry.'));
      return;
    }
    void (async () => {
      try {
        const issued = await busy(submit, () =>
          ctx.client.newCredential(user.id, { name: name.control.value.trim(), ...(daysText ? { expiresInSeconds: Number(daysText) * DAY_SECONDS } : {}) }),
        );
        secret.show(`New credential "${issued.name}" of ${user.username}.`, issued, ctx.admin.endpoint);
        name.control.value = '';
        days.control.value = '';
        form.hidden = true;
        await refresh();
      } catch (error) {
        ctx.fail(error);
      }
    })();
  });
  return form;
}

