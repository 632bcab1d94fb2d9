import type { Context, Hono } from 'hono';
import { accountCsrfToken, checkAccountCsrf } from '../account/csrf.js';
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import { signedInRecently } from '../account/recent.js';
import { PageError } from '../errors.js';
import { clientIp } from '../http/client-ip.js';
import { parseParams, rawQuery, readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { allowOnly } from '../http/methods.js';
import { logSecurityEvent } from '../http/request-log.js';
import { seeOther, sendPage } from '../http/respond.js';
import { issuerScope } from '../http/scope.js';
import { type ActiveSession, currentSession } from '../http/session.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { isInteractionId } from '../interactions/load.js';
import { showLogin } from '../interactions/login.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Text, type Translator, say } from '../pages/translator.js';
import { PASSKEY_NAME_MAX, registrationOptions, verifyRegistration } from './ceremonies.js';
import { requestPasskeyMail } from './mail.js';
import { OfferPasskeyPage, PasskeysPage } from './page.js';
import { ADD_PASSKEY_PATH, OFFER_PASSKEY_PATH, PASSKEYS_PATH, REMOVE_PASSKEY_PATH, RENAME_PASSKEY_PATH } from './paths.js';
import { AddPasskeyForm, ReauthForm, renderPasskeys } from './section.js';

type Notice = 'added' | 'removed' | 'renamed' | 'gone';
const NOTICES: Readonly<Record<Notice, Text>> = {
  added: say('passkeys.added'),
  removed: say('passkeys.removed'),
  renamed: say('passkeys.renamed'),
  gone: say('passkeys.notFound'),
};

function noticeOf(name: string | undefined): Text | undefined {
  return name !== undefined && Object.hasOwn(NOTICES, name) ? NOTICES[name as Notice] : undefined;
}

/** A name as typed: one line, no control characters, at most PASSKEY_NAME_MAX; the default when empty. */
function passkeyName(t: Translator, typed: string | null): string {
  const name = (typed ?? '')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...name].slice(0, PASSKEY_NAME_MAX).join('') || t.t('passkeys.defaultName');
}

/** Where to go after the offer: the sign-in the sign-up interrupted, or the account page. Only an interaction id is taken from the request. */
function afterOffer(scope: IssuerScope, next: string | null | undefined): string {
  return next && isInteractionId(next) ? `${scope.url}/interaction/${next}` : `${scope.url}${ACCOUNT_APPS_PATH}`;
}

async function showPasskeys(c: Context, scope: IssuerScope, active: ActiveSession, failure?: { status: 400 | 403; error: Text }): Promise<Response> {
  const t = pageTranslator(c);
  const csrf = accountCsrfToken(scope, active.session);
  const recent = signedInRecently(scope, active.session);
  const section = await renderPasskeys(scope, { active, t, csrf, recent, error: failure?.error });
  const notice = failure ? undefined : noticeOf(parseParams(rawQuery(c)).get('notice'));
  return sendPage(c, PasskeysPage({ site: scope, t, userEmail: active.user.email, section, notice }), failure?.status);
}

async function showOffer(c: Context, scope: IssuerScope, active: ActiveSession, next: string | null | undefined, error?: Text): Promise<Response> {
  const t = pageTranslator(c);
  const csrf = accountCsrfToken(scope, active.session);
  const kept = next && isInteractionId(next) ? next : undefined;
  const form = signedInRecently(scope, active.session)
    ? await AddPasskeyForm({
        site: scope,
        t,
        csrf,
        next: kept,
        error,
        options: JSON.stringify(await registrationOptions(scope, active.user, active.session.id)),
      })
    : await ReauthForm({ site: scope, t, csrf });
  return sendPage(c, OfferPasskeyPage({ site: scope, t, form, skip: t.carry(afterOffer(scope, kept)) }), error ? 400 : undefined);
}

/** A form post of the signed-in person, with the account pages' CSRF token checked. */
async function signedInPost(c: Context, scope: IssuerScope): Promise<{ form: URLSearchParams; active: ActiveSession }> {
  const form = await readPageForm(c);
  const active = await currentSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  return { form, active };
}

/**
 * POST add: the credential made with the session's live registration challenge. Needs a sign-in
 * within five minutes (account/recent.ts); stores it, records `passkey.added` and asks for the
 * notification mail in one transaction.
 */
async function handleAdd(c: Context, scope: IssuerScope): Promise<Response> {
  const { form, active } = await signedInPost(c, scope);
  const t = pageTranslator(c);
  const next = form.get('next');
  const again = (error: Text): Promise<Response> => (next ? showOffer(c, scope, active, next, error) : showPasskeys(c, scope, active, { status: 400, error }));
  if (!signedInRecently(scope, active.session)) return showPasskeys(c, scope, active, { status: 403, error: say('passkeys.reauthNeeded') });
  const raw = form.get('response');
  if (!raw) return again(say('passkeys.needsScript'));
  const { user, session } = active;
  const result = await verifyRegistration(scope, session.id, user.id, raw, passkeyName(t, form.get('name')));
  if (!result.ok) {
    logSecurityEvent(c, 'warn', 'passkey_registration_failed', { user: user.id, reason: result.reason });
    return again(say('passkeys.addFailed'));
  }
  const address = clientIp(c, scope.services.config.trustProxy);
  try {
    await scope.transaction(async (repos) => {
      await repos.passkeys.create(result.passkey, { actor: `user:${user.id}`, address });
      await requestPasskeyMail(scope, repos, user.email, t.locale, 'added', result.passkey.name);
    });
  } catch (error) {
    // The same credential twice (excludeCredentials normally stops it in the browser): the unique key refuses it.
    if (await scope.repos.passkeys.findByCredentialId(result.passkey.credentialId)) return again(say('passkeys.addFailed'));
    throw error;
  }
  scope.services.outbox?.kick();
  scope.services.logger.log('info', 'passkey_added', { user: user.id });
  return seeOther(c, t.carry(next ? afterOffer(scope, next) : `${scope.url}${PASSKEYS_PATH}?notice=added`));
}

/** POST remove: one of the user's passkeys, with a recent sign-in; `passkey.removed` and the mail in its transaction. */
async function handleRemove(c: Context, scope: IssuerScope): Promise<Response> {
  const { form, active } = await signedInPost(c, scope);
  const t = pageTranslator(c);
  if (!signedInRecently(scope, active.session)) return showPasskeys(c, scope, active, { status: 403, error: say('passkeys.reauthNeeded') });
  const id = (form.get('id') ?? '').slice(0, 64);
  const { user } = active;
  const passkey = (await scope.repos.passkeys.listForUser(user.id)).find((p) => p.id === id);
  const removed =
    passkey !== undefined &&
    (await scope.transaction(async (repos) => {
      const done = await repos.passkeys.remove(user.id, id, { actor: `user:${user.id}`, address: clientIp(c, scope.services.config.trustProxy) });
      if (done) await requestPasskeyMail(scope, repos, user.email, t.locale, 'removed', passkey.name);
      return done;
    }));
  if (removed) scope.services.outbox?.kick();
  return seeOther(c, t.carry(`${scope.url}${PASSKEYS_PATH}?notice=${removed ? 'removed' : 'gone'}`));
}

/** POST rename: only the label the person sees changes, so no recent sign-in is needed. */
async function handleRename(c: Context, scope: IssuerScope): Promise<Response> {
  const { form, active } = await signedInPost(c, scope);
  const t = pageTranslator(c);
  const renamed = await scope.repos.passkeys.rename(active.user.id, (form.get('id') ?? '').slice(0, 64), passkeyName(t, form.get('name')));
  return seeOther(c, t.carry(`${scope.url}${PASSKEYS_PATH}?notice=${renamed ? 'renamed' : 'gone'}`));
}

/** The passkeys' account pages: the list with add, rename and remove, and the offer after sign-up. */
export function registerPasskeyAccount(app: Hono): void {
  const signedIn =
    (show: (c: Context, scope: IssuerScope, active: ActiveSession) => Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      c.header('Cache-Control', 'no-store');
      const scope = issuerScope(c);
      const active = await currentSession(c, scope);
      if (active) return show(c, scope, active);
      return showLogin(c, scope, await startAccountSignIn(c, scope), undefined);
    };
  const post =
    (handle: (c: Context, scope: IssuerScope) => Promise<Response>) =>
    (c: Context): Promise<Response> => {
      c.header('Cache-Control', 'no-store');
      return handle(c, issuerScope(c));
    };
  app.get(
    PASSKEYS_PATH,
    signedIn((c, scope, active) => showPasskeys(c, scope, active)),
  );
  app.get(
    OFFER_PASSKEY_PATH,
    signedIn((c, scope, active) => showOffer(c, scope, active, parseParams(rawQuery(c)).get('next'))),
  );
  app.post(ADD_PASSKEY_PATH, post(handleAdd));
  app.post(REMOVE_PASSKEY_PATH, post(handleRemove));
  app.post(RENAME_PASSKEY_PATH, post(handleRename));
  allowOnly(app, PASSKEYS_PATH, ['GET']);
  allowOnly(app, OFFER_PASSKEY_PATH, ['GET']);
  allowOnly(app, ADD_PASSKEY_PATH, ['POST']);
  allowOnly(app, REMOVE_PASSKEY_PATH, ['POST']);
  allowOnly(app, RENAME_PASSKEY_PATH, ['POST']);
}
