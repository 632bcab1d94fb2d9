import type { Context, Hono } from 'hono';
import { shownClientName } from '../pages/client-name.js';
import { PageError } from '../errors.js';
import { logSecurityEvent } from '../http/request-log.js';
import { type Params, parseParams, rawQuery, readForm, readPageForm } from '../http/form.js';
import { allowOnly } from '../http/methods.js';
import { currentSession } from '../http/session.js';
import { browserAccounts } from '../http/browser-accounts.js';
import { endSession as endOneSession } from '../services/sessions.js';
import { pageTranslator } from '../http/locale.js';
import { LogoutConfirmPage, SignedOutPage } from '../pages/logout.js';
import { type Text, say } from '../pages/translator.js';
import type { IssuerScope } from '../issuers/scope.js';
import { issuerScope } from '../http/scope.js';
import { verifyIdTokenHint } from '../tokens/id-token-hint.js';
import { sendPage, seeOther } from '../http/respond.js';

const CONFIRM_TTL = 600;
const BOX_LABEL = 'logout-confirmation';

interface Pending {
  /** The session to end (hash of its cookie). */
  session: string;
  redirect: string | undefined;
  exp: number;
}

// The person is on this page (the app sent the browser here): errors are a page, in their language.
function invalid(text: Text): PageError {
  return new PageError(text);
}

/** Where to send the browser afterwards: a registered post_logout_redirect_uri with state, or nowhere. */
function afterLogout(redirectUri: string | undefined, state: string | undefined): string | undefined {
  if (!redirectUri) return undefined;
  const url = new URL(redirectUri);
  if (state !== undefined) url.searchParams.set('state', state);
  return url.href;
}

/**
 * Ends the session, and every other account the browser keeps beside it (the account chooser's):
 * a sign-out on a shared computer leaves no one signed in.
 */
async function endSession(c: Context, scope: IssuerScope, sessionId: string, userId: string): Promise<void> {
  const others = (await browserAccounts(c, scope)).others;
  await scope.transaction(async (repos) => {
    for (const id of [sessionId, ...others.map((o) => o.session.id)]) await endOneSession(repos, id, 'logout');
  });
  scope.services.backchannel.wake();
  scope.cookies.clearSession(c);
  scope.cookies.clearAccounts(c);
  logSecurityEvent(c, 'info', 'logout', { user: userId });
}

function done(c: Context, scope: IssuerScope, redirect: string | undefined, signedOut: boolean): Response | Promise<Response> {
  if (redirect) return seeOther(c, redirect);
  return sendPage(c, SignedOutPage({ site: scope, t: pageTranslator(c), signedOut }));
}

/** OpenID Connect RP-Initiated Logout 1.0. */
export function registerEndSession(app: Hono): void {
  const handle = async (c: Context, params: Params): Promise<Response> => {
    c.header('Cache-Control', 'no-store');
    const hintToken = params.get('id_token_hint');
    const hint = hintToken ? await verifyIdTokenHint(hintToken, issuerScope(c)) : undefined;
    if (hintToken && !hint) throw invalid(say('logout.badHint'));
    let clientId = params.get('client_id');
    if (hint) {
      if (clientId !== undefined && !hint.aud.includes(clientId)) throw invalid(say('logout.hintMismatch'));
      clientId ??= hint.aud[0];
    }
    const client = clientId !== undefined && clientId.length <= 200 ? await issuerScope(c).repos.clients.find(clientId) : undefined;
    if (clientId !== undefined && !client) throw invalid(say('authorize.unknownClient'));
    const requested = params.get('post_logout_redirect_uri');
    // Never redirect to an address the named client did not register (§3).
    if (requested !== undefined && !client?.postLogoutRedirectUris.includes(requested)) {
      throw invalid(say('logout.redirectNotRegistered'));
    }
    const redirect = afterLogout(requested, params.get('state'));

    const active = await currentSession(c, issuerScope(c));
    if (!active) return done(c, issuerScope(c), redirect, true);
    const provenByHint = hint !== undefined && hint.sub === active.user.id && (hint.sid === undefined || hint.sid === active.session.sid);
    if (provenByHint) {
      await endSession(c, issuerScope(c), active.session.id, active.user.id);
      return done(c, issuerScope(c), redirect, true);
    }
    // Anyone can link here; without proof from the app, the user confirms (CSRF-safe sealed form).
    const pending: Pending = { session: active.session.id, redirect, exp: issuerScope(c).services.clock() + CONFIRM_TTL };
    const token = await issuerScope(c).services.box.seal(JSON.stringify(pending), BOX_LABEL);
    return sendPage(
      c,
      LogoutConfirmPage({
        site: issuerScope(c),
        t: pageTranslator(c),
        token,
        clientName: client ? shownClientName(pageTranslator(c), client) : undefined,
        userEmail: active.user.email,
      }),
    );
  };

  app.get('/oauth/logout', (c) => handle(c, parseParams(rawQuery(c))));
  app.post('/oauth/logout', async (c) => handle(c, await readForm(c)));

  app.post('/oauth/logout/confirm', async (c) => {
    c.header('Cache-Control', 'no-store');
    const form = await readPageForm(c);
    let pending: Pending;
    try {
      pending = JSON.parse(await issuerScope(c).services.box.open(form.get('logout_token') ?? '', BOX_LABEL)) as Pending;
    } catch {
      throw invalid(say('logout.formUnverified'));
    }
    if (pending.exp <= issuerScope(c).services.clock()) throw invalid(say('logout.formExpired'));
    const active = await currentSession(c, issuerScope(c));
    const signOut = form.get('decision') === 'logout';
    if (signOut && active && active.session.id === pending.session) await endSession(c, issuerScope(c), active.session.id, active.user.id);
    return done(c, issuerScope(c), pending.redirect, signOut);
  });
  allowOnly(app, '/oauth/logout', ['GET', 'POST']);
}
