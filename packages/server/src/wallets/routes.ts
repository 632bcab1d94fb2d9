import type { Context, Hono } from 'hono';
import { accountCsrfToken, checkAccountCsrf } from '../account/csrf.js';
import { signedInRecently } from '../account/recent.js';
import { PageError } from '../errors.js';
import { clientIp } from '../http/client-ip.js';
import { parseParams, rawQuery, readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { allowOnly } from '../http/methods.js';
import { seeOther, sendPage } from '../http/respond.js';
import { issuerScope } from '../http/scope.js';
import { type ActiveSession, currentSession } from '../http/session.js';
import { startAccountSignIn } from '../interactions/account-sign-in.js';
import { showLogin } from '../interactions/login.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Text, say } from '../pages/translator.js';
import { chainIdFrom, checksummed } from './address.js';
import { type Changer, type LinkRefusal, finishLink, startLink, unlinkWallet } from './link.js';
import { WalletSignPage, WalletsPage } from './pages.js';
import { WALLETS_LINK_PATH, WALLETS_PATH, WALLETS_START_PATH, WALLETS_UNLINK_PATH, WALLET_SCRIPT_PATH } from './paths.js';
import { WALLET_SCRIPT } from './script.js';
import { WalletsSectionView } from './section.js';

type Notice = 'linked' | 'already' | 'unlinked' | 'gone';

const NOTICES: Readonly<Record<Notice, Text>> = {
  linked: say('wallet.notice.linked'),
  already: say('wallet.notice.already'),
  unlinked: say('wallet.notice.unlinked'),
  gone: say('wallet.notice.gone'),
};

const REFUSALS: Readonly<Record<LinkRefusal, { text: Text; status: 400 | 401 | 409 }>> = {
  malformed: { text: say('wallet.error.malformed'), status: 400 },
  stale: { text: say('wallet.error.stale'), status: 400 },
  mismatch: { text: say('wallet.error.mismatch'), status: 400 },
  expired: { text: say('wallet.error.expired'), status: 400 },
  signature: { text: say('wallet.error.signature'), status: 401 },
  taken: { text: say('wallet.error.taken'), status: 409 },
};

// Wallet ids are 128-bit random ids (store/repos/wallets.ts); anything else is a broken form.
const WALLET_ID = /^[A-Za-z0-9_-]{10,64}$/;

function noticeUrl(c: Context, scope: IssuerScope, notice: Notice): string {
  return pageTranslator(c).carry(`${scope.url}${WALLETS_PATH}?notice=${notice}`);
}

/** The wallets page, with a notice or a refusal; 403 with the re-authentication prompt when a form came too late. */
async function showWallets(
  c: Context,
  scope: IssuerScope,
  active: ActiveSession,
  shown: { notice?: Text; error?: Text; status?: 400 | 401 | 403 | 409 | 429 } = {},
): Promise<Response> {
  const t = pageTranslator(c);
  const csrf = accountCsrfToken(scope, active.session);
  const wallets = await scope.repos.wallets.listForUser(active.user.id);
  const section = WalletsSectionView({ active, t, csrf, recent: signedInRecently(scope, active.session), scope, wallets });
  return sendPage(c, WalletsPage({ scope, t, userEmail: active.user.email, section, notice: shown.notice, error: shown.error }), shown.status);
}

/**
 * The signed-in person behind a form post, with the CSRF token checked and a recent sign-in
 * required (a factor change needs one, account/recent.ts); otherwise the answer to send instead.
 */
async function changer(c: Context, scope: IssuerScope, form: URLSearchParams): Promise<ActiveSession | Response> {
  const active = await currentSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  if (!signedInRecently(scope, active.session)) return showWallets(c, scope, active, { error: say('wallet.reauth'), status: 403 });
  return active;
}

function changerOf(c: Context, scope: IssuerScope, active: ActiveSession): Changer {
  return { session: active.session, user: active.user, ip: clientIp(c, scope.services.config.trustProxy), locale: pageTranslator(c).locale };
}

/** A label as typed: one line, at most 100 characters; null when empty. */
function labelFrom(value: string | null): string | null {
  const text = (value ?? '')
    .replace(/\p{Cc}/gu, ' ')
    .trim()
    .slice(0, 100);
  return text === '' ? null : text;
}

async function handleStart(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await changer(c, scope, form);
  if (active instanceof Response) return active;
  const address = await checksummed(form.get('address') ?? '');
  if (!address) return showWallets(c, scope, active, { error: say('wallet.error.address'), status: 400 });
  const chainId = chainIdFrom(form.get('chain_id'));
  if (chainId === undefined) return showWallets(c, scope, active, { error: say('wallet.error.chain'), status: 400 });
  const message = await startLink(scope, active.session, address, chainId);
  if (message === undefined) return showWallets(c, scope, active, { error: say('wallet.error.tooMany'), status: 429 });
  const t = pageTranslator(c);
  return sendPage(
    c,
    WalletSignPage({
      scope,
      t,
      userEmail: active.user.email,
      csrf: accountCsrfToken(scope, active.session),
      message,
      address,
      label: labelFrom(form.get('label')) ?? '',
    }),
  );
}

async function handleLink(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await changer(c, scope, form);
  if (active instanceof Response) return active;
  const result = await finishLink(scope, changerOf(c, scope, active), form.get('message') ?? '', form.get('signature') ?? '', labelFrom(form.get('label')));
  if (!result.ok) {
    scope.services.logger.log('warn', 'wallet_link_refused', { user: active.user.id, reason: result.reason });
    const refusal = REFUSALS[result.reason];
    return showWallets(c, scope, active, { error: refusal.text, status: refusal.status });
  }
  if (!result.wallet) return seeOther(c, noticeUrl(c, scope, 'already'));
  scope.services.logger.log('info', 'wallet_linked', { user: active.user.id, wallet: result.wallet.id });
  return seeOther(c, noticeUrl(c, scope, 'linked'));
}

async function handleUnlink(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await changer(c, scope, form);
  if (active instanceof Response) return active;
  const walletId = form.get('wallet') ?? '';
  if (!WALLET_ID.test(walletId)) throw new PageError(say('form.incomplete'));
  const wallet = await unlinkWallet(scope, changerOf(c, scope, active), walletId);
  if (!wallet) return seeOther(c, noticeUrl(c, scope, 'gone'));
  scope.services.logger.log('info', 'wallet_unlinked', { user: active.user.id, wallet: wallet.id });
  return seeOther(c, noticeUrl(c, scope, 'unlinked'));
}

/**
 * The wallets section's routes: its page, the two steps of linking (the message for an address,
 * then its signature) and unlinking, and the script the forms use.
 */
export function registerWallets(app: Hono): void {
  app.get(WALLET_SCRIPT_PATH, (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(WALLET_SCRIPT);
  });
  app.get(WALLETS_PATH, async (c) => {
    c.header('Cache-Control', 'no-store');
    const scope = issuerScope(c);
    const active = await currentSession(c, scope);
    if (!active) return showLogin(c, scope, await startAccountSignIn(c, scope), undefined);
    const name = parseParams(rawQuery(c)).get('notice');
    const notice = name !== undefined && Object.hasOwn(NOTICES, name) ? NOTICES[name as Notice] : undefined;
    return showWallets(c, scope, active, notice ? { notice } : {});
  });
  const post =
    (handle: (c: Context, scope: IssuerScope) => Promise<Response>) =>
    (c: Context): Promise<Response> => {
      c.header('Cache-Control', 'no-store');
      return handle(c, issuerScope(c));
    };
  app.post(WALLETS_START_PATH, post(handleStart));
  app.post(WALLETS_LINK_PATH, post(handleLink));
  app.post(WALLETS_UNLINK_PATH, post(handleUnlink));

  allowOnly(app, WALLET_SCRIPT_PATH, ['GET']);
  allowOnly(app, WALLETS_PATH, ['GET']);
  allowOnly(app, WALLETS_START_PATH, ['POST']);
  allowOnly(app, WALLETS_LINK_PATH, ['POST']);
  allowOnly(app, WALLETS_UNLINK_PATH, ['POST']);
}
