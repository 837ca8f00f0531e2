import type { Column } from '../../../connector/contract';
import type { RowFilter } from '../selection';
import { element } from './elements';

/**
 * "Only rows where FIELD is VALUE": FIELD is one of the scalar columns of the table and format in
 * view (the connector filters by no other), or "any row". The value is sent as typed; the connector
 * compares it as the field's type and names the field when it cannot.
 */
export class RowFilterPicker {
  private readonly group: HTMLElement;
  private readonly field: HTMLSelectElement;
  private readonly value: HTMLInputElement;

  constructor(private readonly doc: Document) {
    this.group = element(doc, 'row-filter', HTMLElement);
    this.field = element(doc, 'filter-field', HTMLSelectElement);
    this.value = element(doc, 'filter-value', HTMLInputElement);
    this.field.addEventListener('change', () => this.sync());
  }

  /** Offers the columns of a format; the field chosen before stays chosen while the format has it. */
  show(columns: Column[]): void {
    const before = this.field.value;
    const any = this.doc.createElement('option');
    any.value = '';
    any.textContent = 'any row';
    const options = columns
      .filter((column) => column.type !== 'table')
      .map((column) => {
        const option = this.doc.createElement('option');
        option.value = column.name;
        option.textContent = column.name;
        return option;
      });
    this.field.replaceChildren(any, ...options);
    this.field.value = options.some((o) => o.value === before) ? before : '';
    this.group.hidden = false;
    this.sync();
  }

  hide(): void {
    this.group.hidden = true;
    this.field.value = '';
    this.sync();
  }

  chosen(): RowFilter | null {
    return this.group.hidden || this.field.value === '' ? null : { field: this.field.value, value: this.value.value.trim() };
  }

  setEnabled(enabled: boolean): void {
    this.field.disabled = !enabled;
    this.value.disabled = !enabled || this.field.value === '';
  }

  private sync(): void {
    this.value.disabled = this.field.value === '';
  }
}
