import type { Context } from 'hono';
import { signInOutcome } from '../auth/sign-in-log.js';
import { clientIp } from '../http/client-ip.js';
import { readPageForm } from '../http/form.js';
import { toInteractionPage } from '../interactions/advance.js';
import { loadAnyInteraction } from '../interactions/load.js';
import { completeLogin } from '../interactions/complete-login.js';
import { showLogin } from '../interactions/login.js';
import type { IssuerScope } from '../issuers/scope.js';
import { say } from '../pages/translator.js';
import { authenticatedBy } from '../signin/assurance.js';
import { passkeyMethods } from './amr.js';
import { verifyAssertion } from './ceremonies.js';
import { passkeyFailed } from './failures.js';
import { PasskeyThrottle } from './throttle.js';

/**
 * POST /interaction/:uid/passkey: a passwordless sign-in. The assertion must answer this
 * interaction's live challenge (spent here, so a replay finds none), come from a passkey of
 * this issuer, from the issuer's origin and RP ID, and carry user verification: the passkey is
 * the whole sign-in, so the authenticator must have checked the person, not only their
 * presence. The user is then signed in as a password would sign them in (completeLogin), with
 * amr `hwk`/`swk` and `user` (passkeys/amr.ts).
 */
export async function handlePasskeySignIn(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const loaded = await loadAnyInteraction(c, scope, form.get('csrf'));
  // Past the login step: a second post signs no one in again, as for the password form.
  if (loaded.client && loaded.interaction.prompt !== 'login') return toInteractionPage(c, scope, loaded);
  const throttle = new PasskeyThrottle(scope, loaded.interaction.id, clientIp(c, scope.services.config.trustProxy));
  if (!(await throttle.allow())) {
    await passkeyFailed(c, scope, 'login', 'throttled');
    const minutes = Math.ceil(scope.settings.login.windowSeconds / 60);
    return showLogin(c, scope, loaded, undefined, { status: 429, error: say('login.throttled', { count: minutes }) });
  }
  const raw = form.get('response');
  const result = await verifyAssertion(scope, 'login', loaded.interaction.id, raw, { requireUserVerification: true });
  if (!result.ok) {
    await throttle.failed();
    await passkeyFailed(c, scope, 'login', result.reason, result.userId);
    // No response at all: the browser posted the form without the script.
    if (!raw) return showLogin(c, scope, loaded, undefined, { status: 400, error: say('passkeys.needsScript') });
    return showLogin(c, scope, loaded, undefined, { status: result.reason === 'malformed' ? 400 : 401, error: say('passkeys.failed') });
  }
  const user = await scope.repos.users.findById(result.passkey.userId);
  if (!user) {
    await passkeyFailed(c, scope, 'login', 'unknown_credential');
    return showLogin(c, scope, loaded, undefined, { status: 401, error: say('passkeys.failed') });
  }
  if (user.disabled) {
    await signInOutcome(c, scope, 'disabled', { user: user.id });
    return showLogin(c, scope, loaded, undefined, { status: 403, error: say('login.disabled', { brand: scope.settings.brand.name }) });
  }
  await signInOutcome(c, scope, 'success');
  return completeLogin(c, scope, loaded, user.id, authenticatedBy(passkeyMethods(result.deviceType, result.userVerified)));
}
