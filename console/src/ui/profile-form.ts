import type { Role } from '../../../connector/contract';
import { offeredRoles, offeredTeams, ROLE_LABELS, type Admin } from '../admin';
import type { Organization, Team, User, UserChanges } from '../client';
import { firstBadIp, splitIpList } from '../ip-list';
import { checkbox, field, h, select, textInput, uid, type Field } from './dom';

export interface ProfileValues {
  username: string;
  email: string;
  name: string;
  surname: string;
  description: string;
  kind: 'portal' | 'api';
  active: boolean;
  roles: Role[];
  organizations: string[];
  teams: string[];
  allowedIps: string[];
}

export interface ProfileFormOptions {
  admin: Admin;
  /** Absent for a new user. */
  user?: User;
  organizations: readonly Organization[];
  teams: readonly Team[];
  /** False on a portal admin's own page: its memberships, roles, IPs and active flag are not its to change. */
  accessEditable: boolean;
  submitLabel: string;
  onSubmit(values: ProfileValues, submit: HTMLButtonElement): void;
}

/** A user's profile, memberships and allowed IPs, for `New user` and a user's page alike. */
export function profileForm(options: ProfileFormOptions): HTMLFormElement {
  const { user, admin, accessEditable } = options;
  const username = field('Username', textInput(user?.username ?? '', { required: true, autocapitalize: 'off' }));
  const email = field('E-mail', textInput(user?.email ?? '', { type: 'email', required: true, autocapitalize: 'off' }));
  const name = field('Name', textInput(user?.name ?? ''));
  const surname = field('Surname', textInput(user?.surname ?? ''));
  const description = field('Description', h('textarea', { rows: 2 }));
  description.control.value = user?.description ?? '';
  const kind = field(
    'Kind',
    select(
      [
        { value: 'portal', label: 'Portal user' },
        { value: 'api', label: 'API only (never signs in to the portal)' },
      ],
      user?.kind ?? 'portal',
      { disabled: user !== undefined },
    ),
  );
  const active = checkbox('Active', user?.active ?? true, { disabled: !accessEditable });
  const roles = choiceGroup(
    'Roles',
    offeredRoles(admin).map((role) => ({ value: role, label: ROLE_LABELS[role] })),
    user?.roles ?? ['member'],
    accessEditable,
  );
  const organizations = choiceGroup(
    'Organizations',
    options.organizations.map((org) => ({ value: org.id, label: `${org.name} (${org.kind})` })),
    user?.organizations ?? [],
    accessEditable,
  );
  const teams = choiceGroup(
    'Teams',
    offeredTeams(admin, options.teams).map((team) => ({ value: team.id, label: team.name })),
    user?.teams ?? [],
    accessEditable,
  );
  const ips = allowedIpsField(user?.allowedIps ?? [], accessEditable);
  const submit = h('button', { type: 'submit', class: 'primary' }, options.submitLabel);

  const form = h(
    'form',
    { class: 'stack', novalidate: true, autocomplete: 'off' },
    h('div', { class: 'grid' }, username.wrapper, email.wrapper, name.wrapper, surname.wrapper),
    description.wrapper,
    kind.wrapper,
    user ? active.wrapper : null,
    roles.element,
    organizations.element,
    teams.element,
    ips.wrapper,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (firstBadIp(ips.control.value) !== null) {
      ips.control.focus();
      return;
    }
    options.onSubmit(
      {
        username: username.control.value.trim(),
        email: email.control.value.trim(),
        name: name.control.value.trim(),
        surname: surname.control.value.trim(),
        description: description.control.value.trim(),
        kind: kind.control.value === 'api' ? 'api' : 'portal',
        active: active.control.checked,
        roles: roles.values() as Role[],
        organizations: organizations.values(),
        teams: teams.values(),
        allowedIps: splitIpList(ips.control.value),
      },
      submit,
    );
  });
  return form;
}

/** Only what differs from the user as loaded, so a PATCH never touches a field nobody changed. */
export function changedFields(user: User, values: ProfileValues): UserChanges {
  const changes: UserChanges = {};
  for (const key of ['username', 'email', 'name', 'surname', 'description'] as const) {
    if (values[key] !== user[key]) changes[key] = values[key];
  }
  if (values.active !== user.active) changes.active = values.active;
  for (const key of ['roles', 'organizations', 'teams', 'allowedIps'] as const) {
    if (!sameSet(values[key], user[key])) (changes as Record<string, string[]>)[key] = values[key];
  }
  return changes;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

/** A fieldset of checkboxes. Values the admin may not offer but the user already has stay shown, fixed. */
function choiceGroup(legend: string, offered: { value: string; label: string }[], chosen: readonly string[], editable: boolean) {
  const choices = [...offered];
  for (const value of chosen) if (!choices.some((choice) => choice.value === value)) choices.push({ value, label: value });
  const boxes = choices.map((choice) => {
    const box = checkbox(choice.label, chosen.includes(choice.value), {
      value: choice.value,
      disabled: !editable || !offered.some((o) => o.value === choice.value),
    });
    return box;
  });
  const element = h('fieldset', { class: 'choices' }, h('legend', {}, legend), ...(boxes.length ? boxes.map((b) => b.wrapper) : [h('p', { class: 'muted' }, 'None to choose from.')]));
  return {
    element,
    values: () => boxes.filter((b: Field<HTMLInputElement>) => b.control.checked).map((b) => b.control.value),
  };
}

/** The IP list, checked on every keystroke; the message says which entry is wrong. */
function allowedIpsField(ips: readonly string[], editable: boolean): Field<HTMLTextAreaElement> {
  const control = h('textarea', { rows: 3, spellcheck: 'false', autocomplete: 'off', disabled: !editable, id: uid('ips') });
  control.value = ips.join('\n');
  const help = h('p', { class: 'hint', id: uid('hint') }, 'IPv4 or IPv6 addresses and CIDR ranges (e.g. 203.0.113.0/24), one per line. Empty: any address.');
  const problem = h('p', { class: 'field-error', id: uid('error'), 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', `${help.id} ${problem.id}`);
  const check = () => {
    const bad = firstBadIp(control.value);
    problem.textContent = bad === null ? '' : `"${bad}" is not an IP address or CIDR range.`;
    control.setAttribute('aria-invalid', String(bad !== null));
  };
  control.addEventListener('input', check);
  check();
  const wrapper = h('div', { class: 'field' }, h('label', { for: control.id }, 'Allowed IP addresses'), control, help, problem);
  return { wrapper, control };
}
