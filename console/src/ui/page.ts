import type { Admin } from '../admin';
import type { AdminClient } from '../client';
import type { View } from '../routes';

/** What every page gets: the client, who signed in, and the shell's services. */
export interface PageContext {
  client: AdminClient;
  admin: Admin;
  /** Shows another page; `message` is said once it is there. */
  go(view: View, message?: string): void;
  /** A refusal or failure, said as the connector's plain sentence in the `role="alert"` region. */
  fail(error: unknown): void;
  done(message: string): void;
  /** Asks in a modal dialog; resolves true when the admin presses `confirmLabel`. */
  confirm(question: string, confirmLabel: string): Promise<boolean>;
}
