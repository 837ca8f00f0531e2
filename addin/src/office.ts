/**
 * 'excel' when the pane runs inside Excel, else null: office.js missing (blocked or not served),
 * or loaded in a plain browser, where `Office.onReady` resolves with `host: null`. There is no
 * timer: a slow Excel start only makes the pane wait, it never turns a real pane into a preview.
 */
export async function detectExcel(): Promise<'excel' | null> {
  const office = (globalThis as { Office?: typeof Office }).Office;
  if (typeof office?.onReady !== 'function') return null;
  try {
    const info = await office.onReady();
    return info.host === office.HostType.Excel && 'Excel' in globalThis ? 'excel' : null;
  } catch {
    return null;
  }
}
