import { Session } from './session';
import { Shell } from './ui/shell';

/** Entry point: the console talks only to the connector that served it. */
function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked: the sign-in lives in memory only
  }
}

const shell = new Shell(document, new Session(sessionStorageOrNull()), location.origin);
shell
  .start()
  .then(() => {
    document.body.dataset.ready = 'true';
  })
  .catch((error: unknown) => {
    const alert = document.getElementById('alert');
    if (alert) alert.textContent = `The console could not start (${error instanceof Error ? error.message : String(error)}). Reload the page.`;
  });
