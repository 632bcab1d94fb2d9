import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ActiveSession } from '../http/session.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Translator } from '../pages/translator.js';

/** What a section of the account security page is drawn with. */
export interface SecuritySectionInput {
  active: ActiveSession;
  t: Translator;
  /** The CSRF token of the account pages (account/csrf.ts), for the section's forms. */
  csrf: string;
  /** Whether the session signed in within the last five minutes (account/recent.ts): changing a factor needs it. */
  recent: boolean;
}

/**
 * One section of `<issuer>/account/security` (password, passkeys, authenticator app, recovery
 * codes, wallets): each factor module contributes its own, with its own routes under
 * /account/security/<name>.
 */
export interface SecuritySection {
  id: string;
  render(c: Context, scope: IssuerScope, input: SecuritySectionInput): Promise<Child>;
}
