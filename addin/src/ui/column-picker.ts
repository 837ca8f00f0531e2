import type { Column, DataFormat } from '../../../connector/contract';
import { choiceOf, type ColumnChoice } from '../column-choice';
import { element } from './elements';

/**
 * The optional `Columns` group: one checkbox per connector column plus `All columns`, every one ticked
 * by default. It only shows what it is given; the controller asks the connector. What the analyst
 * unticked for a table stays unticked when the format changes, there and back; a column no format
 * showed before comes ticked, as every column does at first.
 */
export class ColumnPicker {
  private readonly group: HTMLFieldSetElement;
  private readonly all: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  private columns: Column[] = [];
  /** The table in view and the column names unticked for it, in any format. */
  private unticked: { table: string; names: ReadonlySet<string> } | null = null;

  constructor(private readonly doc: Document) {
    this.group = element(doc, 'column-picker', HTMLFieldSetElement);
    this.all = element(doc, 'all-columns', HTMLInputElement);
    this.list = element(doc, 'column-list', HTMLElement);
    this.note = element(doc, 'columns-note', HTMLElement);
    this.all.addEventListener('change', () => {
      for (const box of this.boxes()) box.checked = this.all.checked;
      this.syncAll();
      this.remember();
    });
    this.list.addEventListener('change', () => {
      this.syncAll();
      this.remember();
    });
  }

  /** While the connector is asked; until the columns arrive, Insert table takes all of them. */
  loading(): void {
    this.setColumns([], 'Loading the columns…');
    this.group.setAttribute('aria-busy', 'true');
  }

  /** The columns could not be listed: say why, and that every column will be inserted. */
  unavailable(reason: string): void {
    this.setColumns([], `The columns could not be listed, so all of them will be inserted. ${reason}`);
  }

  show(table: string, columns: Column[], format: DataFormat): void {
    if (this.unticked?.table !== table) this.unticked = { table, names: new Set() };
    const { names } = this.unticked;
    this.setColumns(columns, '');
    this.list.replaceChildren(...columns.map((column, i) => this.row(column, i, format, !names.has(column.name))));
    this.syncAll();
  }

  hide(): void {
    this.setColumns([], '');
    this.group.hidden = true;
  }

  /** The ticked columns: null when all are (or none are known yet), [] when none is. */
  chosen(): ColumnChoice {
    const ticked = this.boxes()
      .filter((box) => box.checked)
      .map((box) => box.value);
    return choiceOf(this.columns, ticked);
  }

  private setColumns(columns: Column[], note: string): void {
    this.columns = columns;
    this.list.replaceChildren();
    this.note.textContent = note;
    this.note.hidden = !note;
    this.group.removeAttribute('aria-busy');
    this.group.hidden = false;
    this.all.disabled = columns.length === 0;
    this.all.checked = true;
    this.all.indeterminate = false;
  }

  private row(column: Column, index: number, format: DataFormat, checked: boolean): HTMLElement {
    const row = this.doc.createElement('div');
    row.className = 'check';
    const box = this.doc.createElement('input');
    box.type = 'checkbox';
    box.id = `column-${index}`;
    box.value = column.name;
    box.checked = checked;
    const label = this.doc.createElement('label');
    label.htmlFor = box.id;
    // The accessible name is exactly the column name; what it turns into is its description.
    label.textContent = column.name;
    row.append(box, label);
    const hint = hintFor(column, format);
    if (hint) {
      const span = this.doc.createElement('span');
      span.id = `${box.id}-hint`;
      span.className = 'hint';
      span.textContent = hint;
      box.setAttribute('aria-describedby', span.id);
      row.append(span);
    }
    return row;
  }

  private boxes(): HTMLInputElement[] {
    return [...this.list.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
  }

  /** Unticked names: those shown as they stand now, those of other formats as they were. */
  private remember(): void {
    if (!this.unticked) return;
    const boxes = this.boxes();
    const shown = new Set(boxes.map((box) => box.value));
    const names = new Set([...this.unticked.names].filter((name) => !shown.has(name)));
    for (const box of boxes) if (!box.checked) names.add(box.value);
    this.unticked = { table: this.unticked.table, names };
  }

  /** `All columns` is ticked when every column is, half-ticked when some are. */
  private syncAll(): void {
    const boxes = this.boxes();
    const ticked = boxes.filter((box) => box.checked).length;
    this.all.checked = ticked === boxes.length;
    this.all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
}

/** What a column becomes in the workbook when that is not simply one column. */
function hintFor(column: Column, format: DataFormat): string | null {
  if (column.type === 'table') return 'linked table';
  if (column.type === 'coded' && format === 'expanded') return 'code and label';
  return null;
}
