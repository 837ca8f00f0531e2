// Builds the console's DOM from code: text goes in as text (never as HTML), and no element gets a
// style attribute, so the page runs under a CSP without 'unsafe-inline'.

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

let nextId = 0;

/** A fresh id for pairing a label with its control. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export interface Field<T extends HTMLElement> {
  wrapper: HTMLDivElement;
  control: T;
}

/** A labelled control in the pane's `.field` layout; `hint` becomes its description. */
export function field<T extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(label: string, control: T, hint?: string): Field<T> {
  control.id ||= uid('field');
  const wrapper = h('div', { class: 'field' }, h('label', { for: control.id }, label));
  wrapper.appendChild(control);
  if (hint) {
    const note = h('p', { class: 'hint', id: uid('hint') }, hint);
    control.setAttribute('aria-describedby', note.id);
    wrapper.appendChild(note);
  }
  return { wrapper, control };
}

export function textInput(value = '', attributes: Attributes = {}): HTMLInputElement {
  const input = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...attributes });
  input.value = value;
  return input;
}

/** A checkbox with its label to the right, as in the pane. */
export function checkbox(label: string, checked: boolean, attributes: Attributes = {}): Field<HTMLInputElement> {
  const control = h('input', { type: 'checkbox', id: uid('check'), ...attributes });
  control.checked = checked;
  const wrapper = h('div', { class: 'check' }, control, h('label', { for: control.id }, label));
  return { wrapper, control };
}

export function button(label: string, onClick: (event: MouseEvent) => void, attributes: Attributes = {}): HTMLButtonElement {
  const element = h('button', { type: 'button', ...attributes }, label);
  element.addEventListener('click', onClick);
  return element;
}

export function select(options: readonly { value: string; label: string }[], value: string, attributes: Attributes = {}): HTMLSelectElement {
  const element = h('select', attributes);
  for (const option of options) element.appendChild(h('option', { value: option.value }, option.label));
  element.value = value;
  return element;
}

/** A time stamp as the admin's locale writes it; `—` for none. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Runs an action with its button disabled, so a double click is not a double request. */
export async function busy<T>(control: HTMLButtonElement | HTMLInputElement, action: () => Promise<T>): Promise<T> {
  control.disabled = true;
  try {
    return await action();
  } finally {
    control.disabled = false;
  }
}
