/**
 * Shares one fetch among the calls of one recalculation. Excel evaluates the formulas of a
 * recalculation in quick succession, so an answer (or a failure) is reused while it is in flight and
 * for `windowMs` after it settles; a later recalculation (F9, an edit) asks the connector again.
 */
export class RecalcCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly windowMs: number) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = load();
      this.entries.set(key, entry);
      const forget = () => {
        setTimeout(() => {
          if (this.entries.get(key) === entry) this.entries.delete(key);
        }, this.windowMs);
      };
      entry.then(forget, forget);
    }
    return entry;
  }
}
