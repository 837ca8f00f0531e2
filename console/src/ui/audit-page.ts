import type { AuditEntry, AuditPage, AuditQuery } from '../client';
import { busy, button, field, h, replaceChildren, textInput, when } from './dom';
import { listTable } from './directory-pages';
import type { PageContext } from './page';

const PAGE_SIZE = 50;

/** The audit log, newest first, with the route's exact-match filters (system admins). */
export function auditPage(ctx: PageContext): HTMLElement {
  const filters = {
    actor: field('Actor', textInput('', { placeholder: 'e.g. sam.admin' })),
    action: field('Action', textInput('', { placeholder: 'e.g. user.create, or credential.' }), 'Exact, or a prefix ending in "." (credential.).'),
    target: field('Target', textInput('')),
    outcome: field('Outcome', textInput('', { placeholder: 'ok, forbidden, invalid_credentials, …' })),
  };
  const body = h('tbody');
  const apply = h('button', { type: 'submit', class: 'primary' }, 'Apply filters');
  const newer = button('Newer entries', () => void show(cursors.pop() ?? null, false));
  const older = button('Older entries', () => void show(page?.nextCursor ?? null, true));
  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-label': 'Audit filters' },
    h('div', { class: 'grid' }, ...Object.values(filters).map((f) => f.wrapper)),
    h('div', { class: 'actions' }, apply),
  );
  const cursors: (string | null)[] = [];
  let current: string | null = null;
  let page: AuditPage | null = null;

  function query(cursor: string | null): AuditQuery {
    const value = (name: keyof typeof filters) => filters[name].control.value.trim() || undefined;
    return { limit: PAGE_SIZE, cursor, actor: value('actor'), action: value('action'), target: value('target'), outcome: value('outcome') };
  }

  async function show(cursor: string | null, forward: boolean): Promise<void> {
    try {
      const answer = await busy(apply, () => ctx.client.audit(query(cursor)));
      if (forward && page) cursors.push(current);
      current = cursor;
      page = answer;
      replaceChildren(body, ...(answer.entries.length ? answer.entries.map(entryRow) : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No entries match.'))]));
      newer.disabled = cursor === null;
      older.disabled = answer.nextCursor === null;
    } catch (error) {
      ctx.fail(error);
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    cursors.length = 0;
    page = null;
    void show(null, false);
  });
  newer.disabled = true;
  older.disabled = true;
  void show(null, false);
  return h(
    'section',
    { 'aria-labelledby': 'audit-heading' },
    h('h2', { id: 'audit-heading' }, 'Audit log'),
    form,
    listTable('Audit entries, newest first', ['When', 'Who', 'What', 'Target', 'From', 'Outcome'], body),
    h('div', { class: 'actions' }, newer, older),
  );
}

function entryRow(entry: AuditEntry): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('td', {}, when(entry.at)),
    h('td', {}, entry.actor),
    h('td', { class: 'wrap' }, entry.action),
    h('td', { class: 'wrap' }, entry.target ?? '—'),
    h('td', {}, entry.ip ?? '—'),
    h('td', {}, entry.outcome),
  );
}
