import type { Format } from '../../../connector/contract';
import { FORMAT_LABELS, mayChangeAccess, type GrantableTable, type PickerChoices } from '../admin';
import type { Grants, Settings, User } from '../client';
import { busy, field, h, select, textInput, uid } from './dom';
import type { PageContext } from './page';

/** One select per table, the two data-setting pickers, and `Save permissions`. */
export function permissionsSection(
  ctx: PageContext,
  user: User,
  tables: readonly GrantableTable[],
  choices: PickerChoices,
  reloadUser: () => Promise<void>,
): HTMLElement {
  const editable = mayChangeAccess(ctx.admin, user);
  const selects = tables.map((table) => {
    const current = user.grants[table.id] ?? 'none';
    const formats: Format[] = table.formats.includes(current) ? table.formats : [...table.formats, current];
    const control = select(
      formats.map((format) => ({ value: format, label: FORMAT_LABELS[format] })),
      current,
      { disabled: !editable },
    );
    return { table, control, wrapper: field(table.title, control).wrapper };
  });
  const warehouse = picker('Stock warehouse', user.settings.warehouse, choices.warehouses.map((code) => ({ value: code, label: code })), editable, 'Blank: no stock rows.');
  const customer = picker(
    'Prices for customer',
    user.settings.priceCustomer,
    choices.customers.map((c) => ({ value: c.code, label: c.name ? `${c.code} - ${c.name}` : c.code })),
    editable,
    'A customer code; blank: no price fields.',
  );
  const save = h('button', { type: 'submit', class: 'primary', disabled: !editable }, 'Save permissions');
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    tables.length ? h('div', { class: 'grid' }, ...selects.map((s) => s.wrapper)) : h('p', { class: 'muted' }, 'You have no table you could grant.'),
    h('div', { class: 'grid' }, warehouse.wrapper, customer.wrapper),
    h('div', { class: 'actions' }, save),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const grants: Grants = {};
    for (const { table, control } of selects) if (control.value !== (user.grants[table.id] ?? 'none')) grants[table.id] = control.value as Format;
    const settings: Settings = {};
    if (warehouse.input.value.trim() !== user.settings.warehouse) settings.warehouse = warehouse.input.value.trim();
    if (customer.input.value.trim() !== user.settings.priceCustomer) settings.priceCustomer = customer.input.value.trim();
    void (async () => {
      try {
        await busy(save, async () => {
          if (Object.keys(grants).length) await ctx.client.setGrants(user.id, grants);
          if (Object.keys(settings).length) await ctx.client.setSettings(user.id, settings);
        });
        ctx.done(Object.keys(grants).length || Object.keys(settings).length ? `Permissions of ${user.username} saved.` : 'Nothing changed.');
        await reloadUser();
      } catch (error) {
        ctx.fail(error);
      }
    })();
  });
  return h('section', { 'aria-labelledby': 'permissions-heading' }, h('h2', { id: 'permissions-heading' }, 'Permissions'), form);
}

/** A text input offering a list (a combobox): blank and free entry stay possible, the connector decides. */
function picker(label: string, value: string, options: { value: string; label: string }[], editable: boolean, hint: string) {
  const list = h('datalist', { id: uid('choices') }, ...options.map((option) => h('option', { value: option.value }, option.label)));
  const input = textInput(value, { list: list.id, disabled: !editable, autocapitalize: 'off' });
  const { wrapper } = field(label, input, hint);
  wrapper.appendChild(list);
  return { wrapper, input };
}
