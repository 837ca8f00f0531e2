import { Notices } from '../../../addin/src/ui/notices';
import { element } from '../../../addin/src/ui/elements';
import { whoSignedIn, type Admin } from '../admin';
import { AdminClient, ConsoleError, type SignIn } from '../client';
import { hrefOf, parseView, type View } from '../routes';
import type { Session } from '../session';
import { auditPage } from './audit-page';
import { confirmer } from './confirm';
import { organizationsPage, teamsPage } from './directory-pages';
import { newUserPage } from './new-user-page';
import type { PageContext } from './page';
import { userPage } from './user-page';
import { usersPage } from './users-page';

/** Answers that mean the sign-in itself no longer holds: back to the sign-in form. */
const SIGNED_OUT_CODES = new Set(['missing_credentials', 'invalid_credentials', 'credentials_revoked', 'credentials_expired', 'user_inactive']);

/** The page around the views: sign-in, navigation, notices, and the view the fragment names. */
export class Shell {
  private readonly notices: Notices;
  private readonly view: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly signInSection: HTMLElement;
  private readonly confirm: PageContext['confirm'];
  private context: PageContext | null = null;
  private pendingStatus: string | null = null;

  constructor(
    private readonly doc: Document,
    private readonly session: Session,
    private readonly origin: string,
  ) {
    this.notices = new Notices(doc);
    this.view = element(doc, 'view', HTMLElement);
    this.nav = element(doc, 'nav', HTMLElement);
    this.signInSection = element(doc, 'sign-in', HTMLElement);
    this.confirm = confirmer(doc);
    element(doc, 'sign-in-form', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      const token = element(doc, 'sign-in-token', HTMLInputElement).value.trim();
      const key = element(doc, 'sign-in-key', HTMLInputElement).value.trim();
      if (!token || !key) return this.notices.alert('Enter both your API token and your API key.');
      void this.signIn({ kind: 'pair', token, key });
    });
    element(doc, 'admin-key-form', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      const adminKey = element(doc, 'sign-in-admin-key', HTMLInputElement).value.trim();
      if (!adminKey) return this.notices.alert('Enter the admin key.');
      void this.signIn({ kind: 'admin-key', adminKey });
    });
    element(doc, 'sign-out', HTMLButtonElement).addEventListener('click', () => this.signOut('Signed out. Your token and key are forgotten.'));
    doc.defaultView?.addEventListener('hashchange', () => this.render());
  }

  async start(): Promise<void> {
    const saved = this.session.load();
    if (saved) await this.signIn(saved);
    else this.showSignIn();
  }

  private async signIn(signIn: SignIn): Promise<void> {
    const client = new AdminClient(signIn, this.origin);
    try {
      const admin = await whoSignedIn(client, this.origin);
      await client.listUsers({ limit: 1 }); // proves the admin key, which /v1/me cannot
      this.session.save(signIn);
      this.clearSignInForm();
      this.context = this.contextFor(client, admin);
      this.signInSection.hidden = true;
      this.nav.hidden = false;
      element(this.doc, 'signed-in-as', HTMLElement).textContent = admin.name;
      for (const link of this.nav.querySelectorAll<HTMLElement>('[data-unbounded]')) link.hidden = !admin.unbounded;
      this.notices.clear();
      this.render();
    } catch (error) {
      this.session.forget();
      this.showSignIn();
      this.notices.alert(messageOf(error));
    }
  }

  private signOut(message: string): void {
    this.session.forget();
    this.context = null;
    this.clearSignInForm();
    this.view.replaceChildren();
    this.showSignIn();
    this.notices.status(message);
  }

  private showSignIn(): void {
    this.nav.hidden = true;
    this.signInSection.hidden = false;
    element(this.doc, 'sign-in-token', HTMLInputElement).focus();
  }

  private clearSignInForm(): void {
    for (const id of ['sign-in-token', 'sign-in-key', 'sign-in-admin-key']) element(this.doc, id, HTMLInputElement).value = '';
  }

  private contextFor(client: AdminClient, admin: Admin): PageContext {
    return {
      client,
      admin,
      go: (view: View, message?: string) => {
        this.pendingStatus = message ?? null;
        const href = hrefOf(view);
        if (this.doc.defaultView?.location.hash === href) this.render();
        else if (this.doc.defaultView) this.doc.defaultView.location.hash = href;
      },
      fail: (error: unknown) => {
        if (error instanceof ConsoleError && SIGNED_OUT_CODES.has(error.code)) {
          this.signOut('');
          this.notices.alert(`${error.message} Sign in again.`);
          return;
        }
        this.notices.alert(messageOf(error));
      },
      done: (message: string) => this.notices.status(message),
      confirm: this.confirm,
    };
  }

  private render(): void {
    const context = this.context;
    if (!context) return;
    const view = parseView(this.doc.defaultView?.location.hash ?? '');
    const unboundedOnly = view.page === 'organizations' || view.page === 'teams' || view.page === 'audit';
    const shown: View = unboundedOnly && !context.admin.unbounded ? { page: 'users' } : view;
    if (this.pendingStatus) this.notices.status(this.pendingStatus);
    else this.notices.clear();
    this.pendingStatus = null;
    this.view.replaceChildren(pageFor(context, shown));
    for (const link of this.nav.querySelectorAll('a')) {
      const current = link.getAttribute('href') === `#/${shown.page === 'user' || shown.page === 'new-user' ? 'users' : shown.page}`;
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    this.view.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
  }
}

function pageFor(context: PageContext, view: View): HTMLElement {
  switch (view.page) {
    case 'users':
      return usersPage(context);
    case 'new-user':
      return newUserPage(context);
    case 'user':
      return userPage(context, view.id);
    case 'organizations':
      return organizationsPage(context);
    case 'teams':
      return teamsPage(context);
    case 'audit':
      return auditPage(context);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof ConsoleError) return error.message;
  return error instanceof Error ? error.message : 'Something went wrong; reload the page and try again.';
}
