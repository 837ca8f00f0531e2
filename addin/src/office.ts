/** How long to wait for Office before deciding the pane runs in a plain browser. */
const OFFICE_WAIT_MS = 3000;

/**
 * 'excel' when the pane runs inside Excel, else null: office.js missing (blocked or not served),
 * loaded in a plain browser (Office reports no host), or Office never answering.
 */
export async function detectExcel(waitMs = OFFICE_WAIT_MS): Promise<'excel' | null> {
  const office = (globalThis as { Office?: typeof Office }).Office;
  if (typeof office?.onReady !== 'function') return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  const ready = office
    .onReady()
    .then((info) => (info.host === office.HostType.Excel && 'Excel' in globalThis ? ('excel' as const) : null))
    .catch(() => null);
  try {
    return await Promise.race([ready, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
