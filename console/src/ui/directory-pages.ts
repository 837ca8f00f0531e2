import type { Organization, Team } from '../client';
import { busy, field, h, replaceChildren, select, textInput, when } from './dom';
import type { PageContext } from './page';

// Organizations and teams: a list and a short form each (system admins).

export function organizationsPage(ctx: PageContext): HTMLElement {
  const body = h('tbody');
  const name = field('Organization name', textInput('', { required: true, maxlength: 200 }));
  const kind = field(
    'Organization kind',
    select(
      [
        { value: 'client', label: 'Client' },
        { value: 'provider', label: 'Provider' },
      ],
      'client',
    ),
  );
  const parent = field('Parent organization', select([{ value: '', label: 'None' }], ''));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add organization');
  const form = h('form', { class: 'stack', novalidate: true }, h('div', { class: 'grid' }, name.wrapper, kind.wrapper, parent.wrapper), h('div', { class: 'actions' }, submit));

  async function refresh(): Promise<void> {
    try {
      const organizations = await ctx.client.organizations();
      const names = new Map(organizations.map((org) => [org.id, org.name]));
      replaceChildren(body, ...organizations.map((org) => orgRow(org, names)));
      replaceChildren(
        parent.control,
        h('option', { value: '' }, 'None'),
        ...organizations.filter((org) => org.kind === 'provider').map((org) => h('option', { value: org.id }, org.name)),
      );
    } catch (error) {
      ctx.fail(error);
    }
  }
  onCreate(ctx, form, submit, name.control, refresh, async () => {
    const chosenKind = kind.control.value === 'provider' ? 'provider' : 'client';
    const org = await ctx.client.createOrganization({ name: name.control.value.trim(), kind: chosenKind, parent: parent.control.value || null });
    return `Added organization ${org.name}.`;
  });
  void refresh();
  return h(
    'section',
    { 'aria-labelledby': 'orgs-heading' },
    h('h2', { id: 'orgs-heading' }, 'Organizations'),
    listTable('Organizations', ['Name', 'Kind', 'Parent', 'Id', 'Created'], body),
    h('h3', {}, 'New organization'),
    form,
  );
}

function orgRow(org: Organization, names: Map<string, string>): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('th', { scope: 'row' }, org.name),
    h('td', {}, org.kind),
    h('td', {}, org.parent ? (names.get(org.parent) ?? org.parent) : '—'),
    h('td', {}, h('code', {}, org.id)),
    h('td', {}, when(org.createdAt)),
  );
}

export function teamsPage(ctx: PageContext): HTMLElement {
  const body = h('tbody');
  const name = field('Team name', textInput('', { required: true, maxlength: 200 }));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Add team');
  const form = h('form', { class: 'stack', novalidate: true }, name.wrapper, h('div', { class: 'actions' }, submit));
  async function refresh(): Promise<void> {
    try {
      replaceChildren(body, ...(await ctx.client.teams()).map(teamRow));
    } catch (error) {
      ctx.fail(error);
    }
  }
  onCreate(ctx, form, submit, name.control, refresh, async () => `Added team ${(await ctx.client.createTeam({ name: name.control.value.trim() })).name}.`);
  void refresh();
  return h(
    'section',
    { 'aria-labelledby': 'teams-heading' },
    h('h2', { id: 'teams-heading' }, 'Teams'),
    listTable('Teams', ['Name', 'Id', 'Created'], body),
    h('h3', {}, 'New team'),
    form,
  );
}

function teamRow(team: Team): HTMLTableRowElement {
  return h('tr', {}, h('th', { scope: 'row' }, team.name), h('td', {}, h('code', {}, team.id)), h('td', {}, when(team.createdAt)));
}

/** Submitting a directory form: create, say so, clear the name, list again. */
function onCreate(
  ctx: PageContext,
  form: HTMLFormElement,
  submit: HTMLButtonElement,
  name: HTMLInputElement,
  refresh: () => Promise<void>,
  create: () => Promise<string>,
): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void busy(submit, create)
      .then(async (message) => {
        ctx.done(message);
        name.value = '';
        await refresh();
      })
      .catch((error: unknown) => ctx.fail(error));
  });
}

/** A captioned table that scrolls sideways on a narrow screen instead of widening the page. */
export function listTable(caption: string, headings: string[], body: HTMLTableSectionElement): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'grid-table' }, h('caption', {}, caption), h('thead', {}, h('tr', {}, ...headings.map((title) => h('th', { scope: 'col' }, title)))), body),
  );
}
