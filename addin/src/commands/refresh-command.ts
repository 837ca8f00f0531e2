import type { TaskOutcome } from '../controller';

/** What Excel passes an `ExecuteFunction` command: it must hear `completed()` once the work is done. */
export interface CommandEvent {
  completed(): void;
}

export interface RefreshCommandDeps {
  /** Settles once the pane has started (connected with the remembered credentials, if any). */
  started: Promise<unknown>;
  /** The pane's Refresh all: every bound table, all or nothing per table, outcome shown in the pane. */
  refresh: () => Promise<TaskOutcome>;
  /** `Office.addin.showAsTaskpane`: the pane is where the outcome is written. */
  showPane: () => Promise<void>;
}

/**
 * The ribbon's Refresh all (`Office.actions.associate('refreshAll', ...)`). Excel has no toast for
 * add-ins, so the pane is the notification: the outcome is written there, and the pane is shown,
 * since the analyst pressed the button and waits to hear how it went.
 */
export function refreshAllCommand(deps: RefreshCommandDeps): (event: CommandEvent) => Promise<TaskOutcome> {
  return async (event) => {
    try {
      await deps.started.catch(() => undefined);
      const outcome = await deps.refresh();
      await deps.showPane().catch(() => undefined);
      return outcome;
    } finally {
      event.completed();
    }
  };
}
