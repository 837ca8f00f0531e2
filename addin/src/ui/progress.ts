import { element } from './elements';

/** The progress bar (role progressbar) and `Cancel`, shown during a pull. */
export class Progress {
  private readonly section: HTMLElement;
  private readonly label: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly cancel: HTMLButtonElement;

  constructor(doc: Document) {
    this.section = element(doc, 'progress', HTMLElement);
    this.label = element(doc, 'progress-label', HTMLElement);
    this.bar = element(doc, 'progress-bar', HTMLElement);
    this.cancel = element(doc, 'cancel', HTMLButtonElement);
  }

  onCancel(handler: () => void): void {
    this.cancel.addEventListener('click', handler);
  }

  start(what: string): void {
    this.label.textContent = what;
    // The total is unknown until the last page: an indeterminate bar that says how far it got.
    this.bar.removeAttribute('aria-valuenow');
    this.bar.setAttribute('aria-valuetext', 'Starting');
    this.cancel.disabled = false;
    this.section.hidden = false;
  }

  rows(count: number): void {
    this.bar.setAttribute('aria-valuetext', `${count.toLocaleString('en-US')} rows received`);
  }

  stop(): void {
    this.section.hidden = true;
  }
}
