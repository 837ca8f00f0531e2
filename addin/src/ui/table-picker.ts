import { formatsUpTo, type DataFormat, type MeResponse, type TableSummary } from '../../../connector/contract';
import { element } from './elements';
import { groupBySection } from './sections';

/** Who is signed in, the granted tables (select `Table`), their formats (select `Format`), `Insert table`. */
export class TablePicker {
  private readonly section: HTMLElement;
  private readonly userName: HTMLElement;
  private readonly endpoint: HTMLElement;
  private readonly table: HTMLSelectElement;
  private readonly format: HTMLSelectElement;
  private readonly insert: HTMLButtonElement;
  private tables: TableSummary[] = [];
  private onSelect: (table: TableSummary, format: DataFormat) => void = () => undefined;

  constructor(private readonly doc: Document) {
    this.section = element(doc, 'session', HTMLElement);
    this.userName = element(doc, 'user-name', HTMLElement);
    this.endpoint = element(doc, 'endpoint', HTMLElement);
    this.table = element(doc, 'table-select', HTMLSelectElement);
    this.format = element(doc, 'format-select', HTMLSelectElement);
    this.insert = element(doc, 'insert', HTMLButtonElement);
    this.table.addEventListener('change', () => {
      this.showFormats();
      this.selected();
    });
    this.format.addEventListener('change', () => this.selected());
  }

  onInsert(handler: (table: TableSummary, format: DataFormat) => void): void {
    this.insert.addEventListener('click', () => {
      const table = this.current();
      if (table) handler(table, this.format.value as DataFormat);
    });
  }

  /** Called whenever the table or format in view changes (the column picker follows it). */
  onSelection(handler: (table: TableSummary, format: DataFormat) => void): void {
    this.onSelect = handler;
  }

  show(me: MeResponse, endpoint: string, tables: TableSummary[]): void {
    this.userName.textContent = me.user.name || me.user.username;
    this.endpoint.textContent = endpoint;
    const groups = groupBySection(tables);
    this.tables = groups.flatMap((g) => g.tables);
    this.table.replaceChildren(...groups.map((g) => this.optgroup(g.label, g.tables)));
    this.showFormats();
    this.insert.disabled = this.tables.length === 0;
    this.section.hidden = false;
    // Keyboard users land on the next step instead of back at the top of the pane.
    this.table.focus();
    this.selected();
  }

  hide(): void {
    this.section.hidden = true;
    this.tables = [];
    this.table.replaceChildren();
    this.format.replaceChildren();
  }

  setEnabled(enabled: boolean): void {
    this.insert.disabled = !enabled || this.tables.length === 0;
  }

  private optgroup(label: string, tables: TableSummary[]): HTMLOptGroupElement {
    const group = this.doc.createElement('optgroup');
    group.label = label;
    group.append(...tables.map((t) => new Option(t.title, t.id)));
    return group;
  }

  private current(): TableSummary | undefined {
    return this.tables.find((t) => t.id === this.table.value);
  }

  private selected(): void {
    const table = this.current();
    if (table) this.onSelect(table, this.format.value as DataFormat);
  }

  /** Only the formats up to the grant, the highest chosen. */
  private showFormats(): void {
    const table = this.current();
    const formats = table ? formatsUpTo(table.maxFormat) : [];
    this.format.replaceChildren(...formats.map((f) => new Option(f, f)));
    if (formats.length) this.format.value = formats[formats.length - 1]!;
  }
}
