/**
 * The one serialized writer behind a lowdb file. Changes are applied to memory synchronously, in
 * call order; `commit()` resolves once a write that started AFTER the caller's change has reached
 * disk. Changes that arrive while a write is running share the next write (group commit), so a
 * burst of admin writes costs a few file rewrites, not one each, and no update is ever lost.
 */
export class GroupCommit {
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;

  constructor(private readonly writeNow: () => Promise<void>) {}

  commit(): Promise<void> {
    if (!this.queued) {
      const next = this.running
        .catch(() => {})
        .then(() => {
          this.queued = null;
          return this.writeNow();
        });
      this.queued = next;
      this.running = next;
    }
    return this.queued;
  }

  /** Resolves when every write asked for so far has finished (successfully or not). */
  async settle(): Promise<void> {
    await this.running.catch(() => {});
  }
}
