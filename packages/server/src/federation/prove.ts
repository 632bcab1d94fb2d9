import type { Context } from 'hono';
import { verifyPassword } from '../auth/password.js';
import { signInOutcome } from '../auth/sign-in-log.js';
import { LoginThrottle } from '../auth/throttle.js';
import { PageError } from '../errors.js';
import { secondFactorDue } from '../factors/need.js';
import { clientIp } from '../http/client-ip.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { sendPage } from '../http/respond.js';
import { completeLogin } from '../interactions/complete-login.js';
import { type AnyLoadedInteraction, interactionId, loadAnyInteraction } from '../interactions/load.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Text, say } from '../pages/translator.js';
import { PASSWORD } from '../signin/assurance.js';
import type { User } from '../store/repos/users.js';
import type { UpstreamFlow } from '../store/repos/upstream-flows.js';
import { commitPendingLink } from './accounts.js';
import { LinkPage } from './pages.js';

const MAX_PASSWORD = 1024;

/** The interaction's pending link and the account it waits for; none (expired, spent): the sign-in starts again. */
async function pending(scope: IssuerScope, loaded: AnyLoadedInteraction): Promise<{ flow: UpstreamFlow; user: User; providerName: string }> {
  const flow = await scope.repos.upstreamFlows.pendingLink(loaded.interaction.id);
  const user = flow?.link ? await scope.repos.users.findById(flow.link.userId) : undefined;
  const provider = flow ? await scope.repos.upstreamProviders.find(flow.providerId) : undefined;
  if (!flow || !user || !provider?.enabled) throw new PageError(say('federation.expired'));
  if (user.disabled) throw new PageError(say('federation.disabled'), { status: 403 });
  return { flow, user, providerName: provider.displayName };
}

function show(
  c: Context,
  loaded: AnyLoadedInteraction,
  scope: IssuerScope,
  p: { user: User; providerName: string },
  error?: { status: 400 | 401 | 429; text: Text },
): Response | Promise<Response> {
  return sendPage(
    c,
    LinkPage({
      site: scope,
      t: pageTranslator(c),
      uid: loaded.interaction.id,
      csrf: loaded.interaction.csrfToken,
      provider: p.providerName,
      email: p.user.email,
      error: error?.text,
    }),
    error?.status,
  );
}

/** GET /interaction/:uid/upstream/link: the existing account's password form. */
export async function showLink(c: Context, scope: IssuerScope): Promise<Response> {
  const loaded = await loadAnyInteraction(c, scope);
  const found = await pending(scope, loaded);
  if (!found.user.passwordHash) throw new PageError(say('federation.link.noPassword'));
  return show(c, loaded, scope, found);
}

/**
 * POST /interaction/:uid/upstream/link: the existing account's password, counted by the same
 * throttle as the sign-in form. Then the sign-in goes on as a password sign-in of that account;
 * the identity is linked now when the sign-in asks no second factor, else once the factor is
 * proved (interactions/mfa.ts calls commitPendingLink).
 */
export async function handleLink(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const loaded = await loadAnyInteraction(c, scope, form.get('csrf'));
  const found = await pending(scope, loaded);
  const { user } = found;
  if (!user.passwordHash) throw new PageError(say('federation.link.noPassword'));
  const password = form.get('password') ?? '';
  if (password === '') return show(c, loaded, scope, found, { status: 400, text: say('federation.link.wrong') });
  const ip = clientIp(c, scope.services.config.trustProxy);
  const attempt = await new LoginThrottle(scope).reserve(user.email, ip, interactionId(c));
  if (attempt.refused) {
    await signInOutcome(c, scope, 'throttled', { user: user.id, reason: attempt.refused });
    return show(c, loaded, scope, found, { status: 429, text: say('federation.link.throttled') });
  }
  const ok = password.length <= MAX_PASSWORD && (await verifyPassword(user.passwordHash, password));
  if (!ok) {
    await signInOutcome(c, scope, 'wrong_password', { user: user.id });
    return show(c, loaded, scope, found, { status: 401, text: say('federation.link.wrong') });
  }
  await signInOutcome(c, scope, 'success');
  await attempt.succeeded(user.id);
  const now = scope.services.clock();
  const request = loaded.client ? loaded.interaction.params : undefined;
  const factorNext = await secondFactorDue(c, scope, loaded.client, request)({ userId: user.id, authTime: now, acr: PASSWORD.acr });
  if (!factorNext) await commitPendingLink(scope, loaded.interaction.id, user.id);
  return completeLogin(c, scope, loaded, user.id, PASSWORD);
}
