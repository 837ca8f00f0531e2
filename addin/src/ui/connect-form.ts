import type { PastedCredentials } from '../paste';
import { element } from './elements';

export interface ConnectInput extends PastedCredentials {
  remember: boolean;
}

/**
 * The connection fields (Connector URL, API token, API key, Remember on this device, Connect) and
 * Forget credentials. Once connected the fields fold away (a disclosure the analyst can reopen), so
 * the pane leads with inserting tables, which is what it is used for every day.
 */
export class ConnectForm {
  private readonly disclosure: HTMLDetailsElement;
  private readonly badge: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly connect: HTMLButtonElement;
  private readonly forget: HTMLButtonElement;
  private readonly url: HTMLInputElement;
  private readonly token: HTMLInputElement;
  private readonly key: HTMLInputElement;
  private readonly remember: HTMLInputElement;

  constructor(doc: Document) {
    this.disclosure = element(doc, 'connection', HTMLDetailsElement);
    this.badge = element(doc, 'connection-badge', HTMLElement);
    this.form = element(doc, 'connect-form', HTMLFormElement);
    this.url = element(doc, 'connector-url', HTMLInputElement);
    this.token = element(doc, 'api-token', HTMLInputElement);
    this.key = element(doc, 'api-key', HTMLInputElement);
    this.remember = element(doc, 'remember', HTMLInputElement);
    this.connect = element(doc, 'connect', HTMLButtonElement);
    this.forget = element(doc, 'forget', HTMLButtonElement);
  }

  onForget(handler: () => void): void {
    this.forget.addEventListener('click', handler);
  }

  setEnabled(enabled: boolean): void {
    this.connect.disabled = !enabled;
  }

  onConnect(handler: (input: ConnectInput) => void): void {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      handler(this.read());
    });
  }

  read(): ConnectInput {
    // As typed: the client trims the ends (a pasted space is a slip) and reports whitespace inside.
    return { url: this.url.value, token: this.token.value, key: this.key.value, remember: this.remember.checked };
  }

  fill(values: PastedCredentials, remembered: boolean): void {
    this.url.value = values.url;
    this.token.value = values.token;
    this.key.value = values.key;
    this.remember.checked = remembered;
  }

  /** Pre-fills the URL with the origin serving the pane, which is usually the connector. */
  suggestUrl(url: string): void {
    if (!this.url.value) this.url.value = url;
  }

  /** Connected: fold the fields away behind the `Connection` summary. */
  collapse(): void {
    this.badge.textContent = 'Connected';
    this.badge.hidden = false;
    this.disclosure.open = false;
  }

  /** Connected, but the connector's last answer was no answer: the badge says so until one comes. */
  unreachable(): void {
    this.badge.textContent = 'Not reachable';
  }

  /** A request went through again. */
  reachable(): void {
    this.badge.textContent = 'Connected';
  }

  /** Not connected (failed, or forgotten): the fields are what the analyst needs next. */
  expand(): void {
    this.badge.hidden = true;
    this.disclosure.open = true;
  }

  clearSecrets(): void {
    this.token.value = '';
    this.key.value = '';
    this.remember.checked = false;
  }
}
