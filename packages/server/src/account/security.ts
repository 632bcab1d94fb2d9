import type { Context } from 'hono';
import { pageTranslator } from '../http/locale.js';
import { sendPage } from '../http/respond.js';
import type { ActiveSession } from '../http/session.js';
import type { IssuerScope } from '../issuers/scope.js';
import { AccountSecurityPage } from '../pages/account-security.js';
import { accountCsrfToken } from './csrf.js';
import { signedInRecently } from './recent.js';
import { SECURITY_SECTIONS } from './security-section-list.js';
import type { SecuritySection } from './security-sections.js';

/** GET /account/security: the password section, then each registered section in order. */
export async function showSecurity(
  c: Context,
  scope: IssuerScope,
  active: ActiveSession,
  sections: readonly SecuritySection[] = SECURITY_SECTIONS,
): Promise<Response> {
  const t = pageTranslator(c);
  const csrf = accountCsrfToken(scope, active.session);
  const recent = signedInRecently(scope, active.session);
  const input = { active, t, csrf, recent };
  // One after another: sections read the database, and a page's reads need not race each other.
  const rendered = [];
  for (const section of sections) rendered.push({ id: section.id, body: await section.render(c, scope, input) });
  return sendPage(c, AccountSecurityPage({ site: scope, t, userEmail: active.user.email, csrf, recent, sections: rendered }));
}
