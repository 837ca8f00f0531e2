import { button, h, replaceChildren } from './dom';

/**
 * The one place a key is shown: right after it was made, regenerated or copied, until the admin
 * leaves the user's page. Nothing keeps it after that.
 */
export class SecretPair {
  readonly element = h('div', { class: 'secret', 'aria-live': 'polite', hidden: true });

  constructor(private readonly say: (message: string) => void) {}

  show(heading: string, pair: { token: string; key: string }, endpoint: string): void {
    const token = h('code', { class: 'secret-value', 'data-secret': 'token' }, pair.token);
    const key = h('code', { class: 'secret-value', 'data-secret': 'key' }, pair.key);
    replaceChildren(
      this.element,
      h('p', {}, h('strong', {}, heading), ' The key is shown only now: give it to the user over a safe channel.'),
      h('dl', { class: 'pair' }, h('dt', {}, 'Token'), h('dd', {}, token), h('dt', {}, 'Key'), h('dd', {}, key), h('dt', {}, 'Connector URL'), h('dd', {}, h('code', {}, endpoint))),
      h(
        'div',
        { class: 'actions' },
        button('Copy API token', () => void this.copy(pair.token, 'API token')),
        button('Copy API key', () => void this.copy(pair.key, 'API key')),
        button('Hide', () => this.hide()),
      ),
    );
    this.element.hidden = false;
  }

  hide(): void {
    this.element.replaceChildren();
    this.element.hidden = true;
  }

  async copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.say(`${what} copied to the clipboard.`);
    } catch {
      this.say(`The browser did not allow copying: select the ${what} above and copy it yourself.`);
    }
  }
}
