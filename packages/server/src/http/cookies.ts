import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** Where an issuer's cookies live: its URL, the path it is served under on its host, and its id. */
export interface CookieSite {
  url: string;
  /** '' at the root of a host, else like /acme (no trailing slash). */
  basePath: string;
  id: string;
}

/**
 * Cookie names and flags of one issuer. At the root of a host on https the session cookie takes
 * the __Host- prefix (Secure, Path=/, no Domain); an issuer under a path (`/acme`) scopes its
 * session cookie to that path and names it for itself, so two issuers in one browser never share
 * a session. Interaction cookies are scoped to their own <base>/interaction/<uid> path, and the
 * password-reset forms' cookies to <base>/password.
 */
export class Cookies {
  readonly secure: boolean;
  readonly sessionName: string;
  /** The browser's other signed-in accounts (the account chooser, prompt=select_account). */
  readonly accountsName: string;
  readonly interactionName: string;
  readonly passwordFormName: string;
  readonly passwordReturnName: string;
  private readonly base: string;
  private readonly sessionPath: string;

  constructor(site: CookieSite) {
    this.secure = site.url.startsWith('https:');
    this.base = site.basePath;
    const atRoot = site.basePath === '';
    this.sessionPath = atRoot ? '/' : `${site.basePath}/`;
    // Cookies of the host root are sent to every path under it: a name of its own keeps an
    // issuer under a path from reading another's.
    const suffix = atRoot ? '' : `_${site.id}`;
    const secure = this.secure ? '__Secure-' : '';
    this.sessionName = atRoot && this.secure ? '__Host-gh_session' : `${secure}gh_session${suffix}`;
    this.accountsName = atRoot && this.secure ? '__Host-gh_accounts' : `${secure}gh_accounts${suffix}`;
    this.interactionName = `${secure}gh_interaction${suffix}`;
    this.passwordFormName = `${secure}gh_password_form${suffix}`;
    this.passwordReturnName = `${secure}gh_password_return${suffix}`;
  }

  getSession(c: Context): string | undefined {
    return getCookie(c, this.sessionName);
  }

  setSession(c: Context, value: string, maxAge: number): void {
    setCookie(c, this.sessionName, value, { path: this.sessionPath, httpOnly: true, secure: this.secure, sameSite: 'Lax', maxAge });
  }

  clearSession(c: Context): void {
    deleteCookie(c, this.sessionName, { path: this.sessionPath, secure: this.secure });
  }

  /** The cookie secrets of the browser's other live sessions, as set by setAccounts. */
  getAccounts(c: Context): string[] {
    const value = getCookie(c, this.accountsName);
    return value ? value.split('.').filter((v) => v.length > 0 && v.length <= 100) : [];
  }

  setAccounts(c: Context, values: readonly string[], maxAge: number): void {
    if (values.length === 0) {
      this.clearAccounts(c);
      return;
    }
    setCookie(c, this.accountsName, values.join('.'), { path: this.sessionPath, httpOnly: true, secure: this.secure, sameSite: 'Lax', maxAge });
  }

  clearAccounts(c: Context): void {
    deleteCookie(c, this.accountsName, { path: this.sessionPath, secure: this.secure });
  }

  getInteraction(c: Context): string | undefined {
    return getCookie(c, this.interactionName);
  }

  setInteraction(c: Context, uid: string, value: string, maxAge: number): void {
    setCookie(c, this.interactionName, value, {
      path: `${this.base}/interaction/${uid}`,
      httpOnly: true,
      secure: this.secure,
      sameSite: 'Lax',
      maxAge,
    });
  }

  clearInteraction(c: Context, uid: string): void {
    deleteCookie(c, this.interactionName, { path: `${this.base}/interaction/${uid}`, secure: this.secure });
  }

  getPasswordForm(c: Context): string | undefined {
    return getCookie(c, this.passwordFormName);
  }

  setPasswordForm(c: Context, value: string, maxAge: number): void {
    setCookie(c, this.passwordFormName, value, { path: `${this.base}/password`, httpOnly: true, secure: this.secure, sameSite: 'Lax', maxAge });
  }

  /** The sign-in a password reset was asked for from (password/return-to.ts). */
  getPasswordReturn(c: Context): string | undefined {
    return getCookie(c, this.passwordReturnName);
  }

  setPasswordReturn(c: Context, value: string, maxAge: number): void {
    setCookie(c, this.passwordReturnName, value, { path: `${this.base}/password`, httpOnly: true, secure: this.secure, sameSite: 'Lax', maxAge });
  }

  clearPasswordReturn(c: Context): void {
    deleteCookie(c, this.passwordReturnName, { path: `${this.base}/password`, secure: this.secure });
  }
}
