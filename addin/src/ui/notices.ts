import { element } from './elements';

/** The `role="alert"` region for errors and the polite status line for what went right. */
export class Notices {
  private readonly alertRegion: HTMLElement;
  private readonly statusLine: HTMLElement;

  constructor(doc: Document) {
    this.alertRegion = element(doc, 'alert', HTMLElement);
    this.statusLine = element(doc, 'status', HTMLElement);
  }

  alert(message: string): void {
    this.statusLine.textContent = '';
    this.alertRegion.textContent = message;
    this.alertRegion.scrollIntoView?.({ block: 'nearest' });
  }

  /** What went right, shown where the analyst looks: the pane may be scrolled down to the table list. */
  status(message: string): void {
    this.alertRegion.textContent = '';
    this.statusLine.textContent = message;
    this.statusLine.scrollIntoView?.({ block: 'nearest' });
  }

  clear(): void {
    this.alertRegion.textContent = '';
    this.statusLine.textContent = '';
  }
}
