import type { FlagStore } from '../bindings';
import type { TaskOutcome } from '../controller';
import { element } from '../ui/elements';

export interface RefreshOnOpenDeps {
  flag: FlagStore;
  /**
   * `Office.addin.setStartupBehavior(load ? Office.StartupBehavior.load : none)`: whether Excel starts
   * the add-in's runtime, without showing the pane, when this workbook opens (document scope).
   */
  setStartup: (load: boolean) => Promise<void>;
  refresh: () => Promise<TaskOutcome>;
  showPane: () => Promise<void>;
}

/**
 * "Refresh when this workbook opens", per workbook. On: the runtime is started with the workbook and
 * refreshes every bound table with the remembered credentials. A refresh that went through is noted
 * in the pane's status line only; one that failed shows the pane, where its message is.
 */
export class RefreshOnOpen {
  constructor(private readonly deps: RefreshOnOpenDeps) {}

  /** Shows the checkbox (Excel only) and keeps the setting and the startup behaviour in step with it. */
  async attach(doc: Document): Promise<void> {
    const box = element(doc, 'refresh-on-open', HTMLInputElement);
    box.checked = await this.deps.flag.load();
    element(doc, 'refresh-on-open-row', HTMLElement).hidden = false;
    box.addEventListener('change', () => {
      // Refused (an older Excel, a read-only file): the box goes back to what is in force.
      this.set(box.checked).catch(() => (box.checked = !box.checked));
    });
  }

  async set(on: boolean): Promise<void> {
    await this.deps.flag.save(on);
    await this.deps.setStartup(on);
  }

  /** At start: refreshes when the workbook asks for it; null when it does not. */
  async runIfOn(): Promise<TaskOutcome | null> {
    if (!(await this.deps.flag.load())) return null;
    const outcome = await this.deps.refresh();
    if (!outcome.ok) await this.deps.showPane().catch(() => undefined);
    return outcome;
  }
}
