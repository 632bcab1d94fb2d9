import type { Context } from 'hono';
import { shownClientName } from '../pages/client-name.js';
import { PageError } from '../errors.js';
import { type BrowserAccounts, browserAccounts, keepAccounts } from '../http/browser-accounts.js';
import { readPageForm } from '../http/form.js';
import { pageTranslator } from '../http/locale.js';
import { sendPage } from '../http/respond.js';
import type { IssuerScope } from '../issuers/scope.js';
import { SelectAccountPage } from '../pages/select-account.js';
import { say } from '../pages/translator.js';
import { goTo, moveOn, nextFor, toInteractionPage } from './advance.js';
import { type LoadedInteraction, loadInteraction } from './load.js';

function listed(accounts: BrowserAccounts): BrowserAccounts['others'] {
  return accounts.current ? [accounts.current, ...accounts.others] : accounts.others;
}

/** The chooser; with no account left to choose, the login step instead. */
export async function showSelectAccount(c: Context, scope: IssuerScope, loaded: LoadedInteraction, error = false): Promise<Response> {
  const accounts = listed(await browserAccounts(c, scope));
  if (accounts.length === 0) {
    await goTo(scope, loaded, { step: 'login', reason: 'no_session' }, undefined);
    return toInteractionPage(c, scope, loaded);
  }
  return sendPage(
    c,
    SelectAccountPage({
      site: scope,
      t: pageTranslator(c),
      uid: loaded.interaction.id,
      csrf: loaded.interaction.csrfToken,
      clientName: shownClientName(pageTranslator(c), loaded.client),
      accounts: accounts.map((a) => ({ sid: a.session.sid, email: a.user.email, name: a.user.name })),
      error,
    }),
    error ? 400 : undefined,
  );
}

/**
 * POST /interaction/:uid/select_account: `account=<sid>` continues as one of the browser's
 * accounts (making it the browser's current session), `account=another` goes to the login step
 * keeping the accounts the browser has (reason `add_account`). Only sessions this browser holds
 * cookies for can be chosen: the sid names one of them, it grants nothing by itself.
 */
export async function handleSelectAccount(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const loaded = await loadInteraction(c, scope, form.get('csrf'));
  if (loaded.interaction.prompt !== 'select_account') return toInteractionPage(c, scope, loaded);
  const choice = form.get('account');
  if (choice === 'another') return moveOn(c, scope, loaded, { step: 'login', reason: 'add_account' }, undefined);
  const accounts = await browserAccounts(c, scope);
  const all = listed(accounts);
  const chosen = choice === undefined ? undefined : all.find((a) => a.session.sid === choice);
  if (!chosen) {
    if (choice === undefined) throw new PageError(say('form.incomplete'));
    return showSelectAccount(c, scope, loaded, true);
  }
  if (chosen !== accounts.current)
    keepAccounts(
      c,
      scope,
      chosen.cookie,
      all.map((a) => a.cookie),
    );
  const next = await nextFor(c, scope, loaded, { session: chosen.session, signedIn: false, accountChosen: true, accounts: all.length });
  return moveOn(c, scope, loaded, next, chosen.session);
}

/** POST /interaction/:uid/switch ("Not you?" on the consent page): back to the chooser. */
export async function handleSwitchAccount(c: Context, scope: IssuerScope): Promise<Response> {
  const form = await readPageForm(c);
  const loaded: LoadedInteraction = await loadInteraction(c, scope, form.get('csrf'));
  if (loaded.interaction.prompt === 'consent') await goTo(scope, loaded, { step: 'select_account', reason: 'select_account' }, undefined);
  return toInteractionPage(c, scope, loaded);
}
