import { element } from './elements';

/**
 * The progress bar (role progressbar) and `Cancel`, shown during a pull. The control that started
 * the pull is disabled meanwhile, which would drop keyboard focus to the top of the pane: Cancel
 * takes focus for the pull and hands it back afterwards.
 */
export class Progress {
  private readonly section: HTMLElement;
  private readonly label: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  private returnFocus: HTMLElement | null = null;
  private what = '';

  constructor(private readonly doc: Document) {
    this.section = element(doc, 'progress', HTMLElement);
    this.label = element(doc, 'progress-label', HTMLElement);
    this.bar = element(doc, 'progress-bar', HTMLElement);
    this.cancel = element(doc, 'cancel', HTMLButtonElement);
  }

  onCancel(handler: () => void): void {
    this.cancel.addEventListener('click', handler);
  }

  start(what: string): void {
    this.what = what;
    this.label.textContent = what;
    // The total is unknown until the last page: an indeterminate bar that says how far it got.
    this.bar.removeAttribute('aria-valuenow');
    this.bar.setAttribute('aria-valuetext', 'Starting');
    this.cancel.disabled = false;
    this.section.hidden = false;
    const active = this.doc.activeElement;
    this.returnFocus = active instanceof HTMLElement && active !== this.doc.body ? active : null;
    if (this.returnFocus) this.cancel.focus();
  }

  rows(count: number): void {
    this.label.textContent = this.what;
    this.bar.setAttribute('aria-valuetext', `${count.toLocaleString('en-US')} rows received`);
  }

  /** A wait before the connector is asked again, shown until the next rows arrive. */
  waiting(note: string): void {
    this.label.textContent = `${this.what} ${note}`;
    this.bar.setAttribute('aria-valuetext', note);
  }

  /** Hides the bar; focus goes back where it was unless the pull moved it on (e.g. to `Table`). */
  stop(): void {
    const stillHere = this.section.contains(this.doc.activeElement) || this.doc.activeElement === this.doc.body;
    this.section.hidden = true;
    if (stillHere && this.returnFocus?.isConnected) this.returnFocus.focus();
    this.returnFocus = null;
  }
}
