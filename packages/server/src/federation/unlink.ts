import type { Context, Hono } from 'hono';
import { checkAccountCsrf } from '../account/csrf.js';
import { ACCOUNT_SECURITY_PATH } from '../account/paths.js';
import { signedInRecently } from '../account/recent.js';
import { PageError } from '../errors.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { allowOnly } from '../http/methods.js';
import { seeOther } from '../http/respond.js';
import { issuerScope } from '../http/scope.js';
import { currentSession } from '../http/session.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import { UNLINK_PATH } from './paths.js';

const IDENTITY_ID = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * Whether the user could still sign in without this identity: a password, a passkey, or another
 * identity linked through an enabled provider. The last way in is never removed.
 */
async function otherWayIn(scope: IssuerScope, userId: string, passwordHash: string | null, identityId: string): Promise<boolean> {
  if (passwordHash) return true;
  if ((await scope.repos.passkeys.countForUser(userId)) > 0) return true;
  const enabled = new Set((await scope.repos.upstreamProviders.list()).filter((p) => p.enabled).map((p) => p.id));
  return (await scope.repos.linkedIdentities.listForUser(userId)).some((l) => l.id !== identityId && enabled.has(l.providerId));
}

/**
 * POST /account/security/linked/unlink (`csrf`, `identity`): like every factor change, only
 * with the account pages' CSRF token and a sign-in within the last minutes (account/recent.ts).
 */
async function handleUnlink(c: Context): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  const scope = issuerScope(c);
  const form = await readPageForm(c);
  const active = await currentSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  if (!signedInRecently(scope, active.session)) throw new PageError(say('federation.account.reauth'), { status: 403 });
  const id = form.get('identity') ?? '';
  if (!IDENTITY_ID.test(id)) throw new PageError(say('form.incomplete'));
  if (!(await otherWayIn(scope, active.user.id, active.user.passwordHash, id))) throw new PageError(say('federation.account.last'), { status: 409 });
  await scope.repos.linkedIdentities.unlink(active.user.id, id);
  scope.services.logger.log('info', 'identity_unlinked', { user: active.user.id, identity: id });
  return seeOther(c, pageTranslator(c).carry(`${scope.url}${ACCOUNT_SECURITY_PATH}`));
}

export function registerUnlink(app: Hono): void {
  app.post(UNLINK_PATH, handleUnlink);
  allowOnly(app, UNLINK_PATH, ['POST']);
}
