/** The pane's controls, found once by id; a missing one is a broken taskpane.html, so fail loudly. */
export function element<T extends HTMLElement>(doc: Document, id: string, type: new () => T): T {
  const found = doc.getElementById(id);
  if (!(found instanceof type)) throw new Error(`taskpane.html has no ${type.name} #${id}`);
  return found;
}
