import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.js';

/**
 * Cookie names and flags. On https the session cookie takes the __Host- prefix (Secure, Path=/,
 * no Domain); interaction cookies are scoped to their own /interaction/<uid> path, and the
 * password-reset forms' cookies to /password.
 */
export class Cookies {
  readonly secure: boolean;
  readonly sessionName: string;
  readonly interactionName: string;
  readonly passwordFormName: string;
  readonly passwordReturnName: string;

  constructor(config: Config) {
    this.secure = config.issuer.startsWith('https:');
    this.sessionName = this.secure ? '__Host-gh_session' : 'gh_session';
    this.interactionName = this.secure ? '__Secure-gh_interaction' : 'gh_interaction';
    this.passwordFormName = this.secure ? '__Secure-gh_password_form' : 'gh_password_form';
    this.passwordReturnName = this.secure ? '__Secure-gh_password_return' : 'gh_password_return';
  }

  getSession(c: Context): string | undefined {
    return getCookie(c, this.sessionName);
  }

  setSession(c: Context, value: string, maxAge: number): void {
    setCookie(c, this.sessionName, value, { path: '/', httpOnly: true, secure: this.secure, sameSite: 'Lax', maxAge });
  }

  clearSession(c: Context): void {
    deleteCookie(c, this.sessionName, { path: '/', secure: this.secure });
  }

  getInteraction(c: Context): string | undefined {
    return getCookie(c, this.interactionName);
  }

  setInteraction(c: Context, uid: string, value: string, maxAge: number): void {
    setCookie(c, this.interactionName, value, {
      path: `/interaction/${uid}`,
      httpOnly: true,
      secure: this.secure,
      sameSite: 'Lax',
      maxAge,
    });
  }

  clearInteraction(c: Context, uid: string): void {
    deleteCookie(c, this.interactionName, { path: `/interaction/${uid}`, secure: this.secure });
  }

  getPasswordForm(c: Context): string | undefined {
    return getCookie(c, this.passwordFormName);
  }

  setPasswordForm(c: Context, value: string, maxAge: number): void {
    setCookie(c, this.passwordFormName, value, { path: '/password', httpOnly: true, secure: this.secure, sameSite: 'Lax', maxAge });
  }

  /** The sign-in a password reset was asked for from (password/return-to.ts). */
  getPasswordReturn(c: Context): string | undefined {
    return getCookie(c, this.passwordReturnName);
  }

  setPasswordReturn(c: Context, value: string, maxAge: number): void {
    setCookie(c, this.passwordReturnName, value, { path: '/password', httpOnly: true, secure: this.secure, sameSite: 'Lax', maxAge });
  }

  clearPasswordReturn(c: Context): void {
    deleteCookie(c, this.passwordReturnName, { path: '/password', secure: this.secure });
  }
}
