import { excelBindingStore, excelFlagStore, memoryBindingStore, REFRESH_ON_OPEN_KEY } from './bindings';
import { refreshAllCommand } from './commands/refresh-command';
import { RefreshOnOpen } from './commands/refresh-on-open';
import { PaneController } from './controller';
import { CredentialStore, deviceStorage } from './credentials';
import { customFunctionsApi, registerFunctions } from './functions/register';
import { detectExcel } from './office';
import { element } from './ui/elements';
import type { ExcelRun } from './workbook/excel';
import { ExcelWorkbook } from './workbook/excel';
import { CELL_EDIT_DELAY_SET, excelRunner } from './workbook/excel-run';
import { PreviewWorkbook } from './workbook/preview';
import type { BindingStore } from './bindings';
import type { Workbook } from './workbook/port';

/**
 * Entry point of the one page that is the pane, the ribbon command's function file and the custom
 * functions' page (a shared runtime): picks Excel or the HTML preview, then hands the same
 * controller either one.
 */
async function main(): Promise<void> {
  // The functions read the credentials when they run, so they can register before anything is known.
  let credentials: CredentialStore | null = null;
  const functions = customFunctionsApi();
  try {
    if (functions) registerFunctions(functions, { credentials: () => credentials?.load() ?? null });
  } catch {
    // A host without custom functions (office.js in a plain browser may refuse): the pane works without them.
  }

  // Associated at once, as Microsoft's samples do, so a click that starts the runtime finds it; it
  // waits for the pane, which needs Office to be ready first.
  let paneStarted: (pane: PaneController) => void = () => undefined;
  const paneReady = new Promise<PaneController>((resolve) => (paneStarted = resolve));
  const office = (globalThis as { Office?: typeof Office }).Office;
  office?.actions?.associate(
    'refreshAll',
    refreshAllCommand({
      started: paneReady.then((pane) => pane.start()),
      refresh: async () => (await paneReady).refreshAll(),
      showPane: () => Office.addin.showAsTaskpane(),
    }),
  );

  const inExcel = (await detectExcel()) === 'excel';
  let workbook: Workbook;
  let bindings: BindingStore;
  let partitionKey: string | null = null;
  let run: ExcelRun | null = null;
  if (inExcel) {
    run = excelRunner(Excel, Office.context.requirements.isSetSupported(CELL_EDIT_DELAY_SET.name, CELL_EDIT_DELAY_SET.version));
    workbook = new ExcelWorkbook(run);
    bindings = excelBindingStore(run);
    partitionKey = Office.context.partitionKey ?? null;
  } else {
    workbook = new PreviewWorkbook(element(document, 'preview', HTMLElement));
    bindings = memoryBindingStore();
    element(document, 'preview-banner', HTMLElement).hidden = false;
  }
  credentials = new CredentialStore(deviceStorage(), partitionKey);
  const origin = /^https?:$/.test(location.protocol) ? location.origin : null;
  const pane = new PaneController({ doc: document, workbook, bindings, credentials, origin });
  document.body.dataset.mode = inExcel ? 'excel' : 'preview';
  const started = pane.start();
  paneStarted(pane);

  if (run) {
    const onOpen = new RefreshOnOpen({
      flag: excelFlagStore(run, REFRESH_ON_OPEN_KEY),
      setStartup: (load) => Office.addin.setStartupBehavior(load ? Office.StartupBehavior.load : Office.StartupBehavior.none),
      refresh: () => pane.refreshAll(),
      showPane: () => Office.addin.showAsTaskpane(),
    });
    await onOpen.attach(document);
    await started;
    document.body.dataset.ready = 'true';
    await onOpen.runIfOn();
    return;
  }
  await started;
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  const alert = document.getElementById('alert');
  if (alert) alert.textContent = `The pane could not start (${error instanceof Error ? error.message : String(error)}). Reload it; if that does not help, tell your administrator.`;
});
