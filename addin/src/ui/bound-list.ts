import { element } from './elements';

export interface BoundItem {
  tableId: string;
  /** The workbook table's current name. */
  name: string;
  /** e.g. "customers · detail · refreshed 2024-05-01 10:00" */
  detail: string;
  /** Something the analyst should know about this table, shown beside it (the status line may be out of view). */
  warning?: string;
}

/** Tables in this workbook, each with its own `Refresh`, and `Refresh all`. */
export class BoundList {
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly refreshAll: HTMLButtonElement;
  private onRefresh: (tableId: string) => void = () => undefined;
  private enabled = true;

  constructor(private readonly doc: Document) {
    this.list = element(doc, 'bound-list', HTMLUListElement);
    this.empty = element(doc, 'bound-empty', HTMLElement);
    this.refreshAll = element(doc, 'refresh-all', HTMLButtonElement);
    this.list.addEventListener('click', (event) => {
      const button = (event.target as Element).closest('button[data-table-id]');
      if (button instanceof HTMLButtonElement) this.onRefresh(button.dataset.tableId!);
    });
  }

  onRefreshOne(handler: (tableId: string) => void): void {
    this.onRefresh = handler;
  }

  onRefreshAll(handler: () => void): void {
    this.refreshAll.addEventListener('click', handler);
  }

  show(items: BoundItem[]): void {
    // The rows are rebuilt after every pull: a keyboard user on a Refresh button stays on that table's.
    const active = this.doc.activeElement;
    const focused = active instanceof HTMLButtonElement && this.list.contains(active) ? active.dataset.tableId : undefined;
    this.list.replaceChildren(...items.map((item) => this.row(item)));
    this.empty.hidden = items.length > 0;
    this.setEnabled(this.enabled);
    if (focused === undefined) return;
    const same = [...this.list.querySelectorAll('button')].find((b) => b.dataset.tableId === focused);
    (same ?? this.refreshAll).focus();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.refreshAll.disabled = !enabled || this.list.children.length === 0;
    for (const button of this.list.querySelectorAll('button')) button.disabled = !enabled;
  }

  private row(item: BoundItem): HTMLLIElement {
    const li = this.doc.createElement('li');
    const text = this.doc.createElement('div');
    const name = this.doc.createElement('span');
    name.className = 'name';
    name.id = `bound-${item.tableId}`;
    name.textContent = item.name;
    const detail = this.doc.createElement('span');
    detail.className = 'meta';
    detail.textContent = item.detail;
    text.append(name, detail);
    if (item.warning) {
      const warning = this.doc.createElement('span');
      warning.className = 'meta warning';
      warning.textContent = item.warning;
      text.append(warning);
    }
    const button = this.doc.createElement('button');
    button.type = 'button';
    button.textContent = 'Refresh';
    button.dataset.tableId = item.tableId;
    // The accessible name stays exactly "Refresh"; which table it refreshes is its description.
    button.setAttribute('aria-describedby', name.id);
    li.append(text, button);
    return li;
  }
}
