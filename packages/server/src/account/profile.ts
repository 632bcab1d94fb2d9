import type { Context } from 'hono';
import { PageError } from '../errors.js';
import { clientIp } from '../http/client-ip.js';
import { actingAs } from '../store/repos/events.js';
import { parseParams, rawQuery, readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { seeOther, sendPage } from '../http/respond.js';
import { type ActiveSession, currentSession } from '../http/session.js';
import type { IssuerScope } from '../issuers/scope.js';
import { AccountHomePage, type AccountHomePageInput } from '../pages/account-home.js';
import { say } from '../pages/translator.js';
import { ServiceError } from '../services/errors.js';
import { type UserPatch, updateUser } from '../services/users.js';
import { accountCsrfToken, checkAccountCsrf } from './csrf.js';
import { ACCOUNT_HOME_PATH } from './paths.js';

/** GET /account: the account home, with the profile form. */
export function showAccountHome(
  c: Context,
  scope: IssuerScope,
  active: ActiveSession,
  state: Partial<Pick<AccountHomePageInput, 'values' | 'error' | 'notice'>> = {},
): Promise<Response> {
  const { user } = active;
  return sendPage(
    c,
    AccountHomePage({
      site: scope,
      t: pageTranslator(c),
      user,
      csrf: accountCsrfToken(scope, active.session),
      values: state.values ?? { name: user.name ?? '', picture: user.picture ?? '' },
      error: state.error,
      notice: state.notice ?? (parseParams(rawQuery(c)).get('notice') === 'saved' ? say('accountPages.profile.saved') : undefined),
    }),
    state.error ? 400 : 200,
  );
}

/**
 * POST /account: the name and picture. Empty clears a field. The picture is shown by apps as an
 * image, so it must be an https URL (the Admin API's rule, without its loopback exception for
 * development); the same checks as the Admin API's otherwise (services/users.ts). The email is
 * not changed here: a new address must be verified first (/account/email).
 */
export async function handleProfile(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const active = await currentSession(c, scope);
  if (!active) throw new PageError(say('account.notSignedIn'), { status: 403 });
  checkAccountCsrf(scope, active.session, form.get('csrf'));
  const values = { name: (form.get('name') ?? '').slice(0, 400), picture: (form.get('picture') ?? '').trim().slice(0, 2100) };
  if (values.picture !== '' && !values.picture.startsWith('https://')) {
    return showAccountHome(c, scope, active, { values, error: { field: 'picture', text: say('accountPages.profile.badPicture') } });
  }
  const patch: UserPatch = { name: values.name.trim() === '' ? null : values.name, picture: values.picture === '' ? null : values.picture };
  try {
    // The event names the person and their address, as the sign-in's does.
    await actingAs(`user:${active.user.id}`, () => updateUser(scope, active.user, patch), clientIp(c, scope.services.config.trustProxy));
  } catch (error) {
    if (!(error instanceof ServiceError) || error.code !== 'invalid') throw error;
    const field = error.field === 'picture' ? 'picture' : 'name';
    const text = field === 'picture' ? say('accountPages.profile.badPicture') : say('accountPages.profile.badName');
    return showAccountHome(c, scope, active, { values, error: { field, text } });
  }
  return seeOther(c, pageTranslator(c).carry(`${scope.url}${ACCOUNT_HOME_PATH}?notice=saved`));
}
