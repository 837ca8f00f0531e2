import { excelBindingStore, memoryBindingStore } from './bindings';
import { PaneController } from './controller';
import { CredentialStore, deviceStorage } from './credentials';
import { detectExcel } from './office';
import { element } from './ui/elements';
import type { ExcelRun } from './workbook/excel';
import { ExcelWorkbook } from './workbook/excel';
import { CELL_EDIT_DELAY_SET, excelRunner } from './workbook/excel-run';
import { PreviewWorkbook } from './workbook/preview';
import type { BindingStore } from './bindings';
import type { Workbook } from './workbook/port';

/** Entry point: picks Excel or the HTML preview, then hands the same controller either one. */
async function main(): Promise<void> {
  const inExcel = (await detectExcel()) === 'excel';
  let workbook: Workbook;
  let bindings: BindingStore;
  let partitionKey: string | null = null;
  if (inExcel) {
    const run: ExcelRun = excelRunner(Excel, Office.context.requirements.isSetSupported(CELL_EDIT_DELAY_SET.name, CELL_EDIT_DELAY_SET.version));
    workbook = new ExcelWorkbook(run);
    bindings = excelBindingStore(run);
    partitionKey = Office.context.partitionKey ?? null;
  } else {
    workbook = new PreviewWorkbook(element(document, 'preview', HTMLElement));
    bindings = memoryBindingStore();
    element(document, 'preview-banner', HTMLElement).hidden = false;
  }
  const origin = /^https?:$/.test(location.protocol) ? location.origin : null;
  const pane = new PaneController({
    doc: document,
    workbook,
    bindings,
    credentials: new CredentialStore(deviceStorage(), partitionKey),
    origin,
  });
  document.body.dataset.mode = inExcel ? 'excel' : 'preview';
  await pane.start();
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  const alert = document.getElementById('alert');
  if (alert) alert.textContent = `The pane could not start (${error instanceof Error ? error.message : String(error)}). Reload it; if that does not help, tell your administrator.`;
});
