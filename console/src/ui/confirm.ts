import { element } from '../../../addin/src/ui/elements';

/** A modal question in the page's <dialog>: Escape and Cancel say no; focus returns where it was. */
export function confirmer(doc: Document): (question: string, confirmLabel: string) => Promise<boolean> {
  const dialog = element(doc, 'confirm', HTMLDialogElement);
  const text = element(doc, 'confirm-question', HTMLElement);
  const yes = element(doc, 'confirm-yes', HTMLButtonElement);
  return (question, confirmLabel) =>
    new Promise((resolve) => {
      text.textContent = question;
      yes.textContent = confirmLabel;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
      dialog.showModal();
    });
}
