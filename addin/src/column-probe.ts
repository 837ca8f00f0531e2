import type { Column, DataFormat } from '../../connector/contract';
import type { ConnectorClient } from './connector';

/**
 * Learns a table's columns for one format by asking the connector for a single row (limit=1), so the
 * column picker can offer them before anything is pulled. Answers are kept for the connection (one
 * request per table and format); a newer question drops the older one's answer, because the analyst
 * has moved on to another table or format by then.
 */
export class ColumnProbe {
  private readonly known = new Map<string, Column[]>();
  private latest: AbortController | null = null;

  constructor(private readonly client: ConnectorClient) {}

  /** The columns, or null when a newer call (or `cancel`) superseded this one. Failures throw PaneError. */
  async columns(table: string, format: DataFormat): Promise<Column[] | null> {
    this.cancel();
    const key = `${table}\n${format}`;
    const known = this.known.get(key);
    if (known) return known;
    const mine = new AbortController();
    this.latest = mine;
    try {
      const page = await this.client.page(table, format, null, { limit: 1, signal: mine.signal });
      this.known.set(key, page.columns);
      return mine.signal.aborted ? null : page.columns;
    } catch (error) {
      if (mine.signal.aborted) return null;
      throw error;
    } finally {
      if (this.latest === mine) this.latest = null;
    }
  }

  cancel(): void {
    this.latest?.abort();
    this.latest = null;
  }
}
