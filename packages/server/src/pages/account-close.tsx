/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { CLOSE_ACCOUNT_PATH } from '../account/paths.js';
import type { ClosedAccountPolicy } from '../issuers/settings.js';
import { AccountFrame, ReauthForm } from './account-frame.js';
import { type Html, Layout, type PageProps } from './layout.js';
import type { MessageKey } from './messages/all.js';
import type { Text } from './translator.js';

// The choices of account/close.ts CLOSE_REASONS, spelled here so the page needs no import of the handler.
const REASONS: readonly { value: string; label: MessageKey }[] = [
  { value: 'not_using', label: 'accountPages.close.reasonNotUsing' },
  { value: 'other_account', label: 'accountPages.close.reasonOtherAccount' },
  { value: 'privacy', label: 'accountPages.close.reasonPrivacy' },
  { value: 'problems', label: 'accountPages.close.reasonProblems' },
  { value: 'other', label: 'accountPages.close.reasonOther' },
];

export interface CloseAccountPageInput {
  userEmail: string;
  csrf: string;
  recent: boolean;
  policy: ClosedAccountPolicy;
  form: { reason: string; details: string };
  error?: Text | undefined;
}

/**
 * "Close your account": what it does (per the issuer's closedAccounts setting), then, after a
 * recent sign-in, why (a choice and free text) and a confirmation, posted to /account/close.
 */
export function CloseAccountPage(props: PageProps & CloseAccountPageInput): Html {
  const { site, t, error } = props;
  const described = error ? 'form-error' : undefined;
  return (
    <AccountFrame site={site} t={t} current="close" title={t.t('accountPages.close.title')} userEmail={props.userEmail}>
      <p>{t.t('accountPages.close.intro')}</p>
      <p id="close-outcome">{t.t(props.policy === 'anonymise' ? 'accountPages.close.anonymiseNote' : 'accountPages.close.deleteNote')}</p>
      {error ? (
        <p class="error" role="alert" id="form-error">
          {t.say(error)}
        </p>
      ) : null}
      {props.recent ? (
        <form method="post" action={t.carry(site.path(CLOSE_ACCOUNT_PATH))} id="close-form" novalidate>
          <input type="hidden" name="csrf" value={props.csrf} />
          <fieldset aria-describedby={described}>
            <legend>{t.t('accountPages.close.why')}</legend>
            {REASONS.map((r) => (
              <div class="choice">
                <input type="radio" id={`reason-${r.value}`} name="reason" value={r.value} checked={props.form.reason === r.value} required />
                <label for={`reason-${r.value}`}>{t.say({ key: r.label })}</label>
              </div>
            ))}
          </fieldset>
          <label for="details">{t.t('accountPages.close.details')}</label>
          <textarea id="details" name="details" rows={4} maxlength={2000}>
            {props.form.details}
          </textarea>
          <div class="choice">
            <input type="checkbox" id="confirm" name="confirm" value="yes" required aria-describedby={described} />
            <label for="confirm">{t.t('accountPages.close.confirm')}</label>
          </div>
          <div class="actions">
            <button type="submit" class="danger" id="close-account">
              {t.t('accountPages.close.submit')}
            </button>
          </div>
        </form>
      ) : (
        <ReauthForm site={site} t={t} csrf={props.csrf} returnTo={CLOSE_ACCOUNT_PATH} text={t.t('accountPages.close.reauth')} />
      )}
    </AccountFrame>
  );
}

/** After closing: signed out, and told so. */
export function AccountClosedPage(props: PageProps): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={t.t('accountPages.closed.title')}>
      <h1 id="page-title">{t.t('accountPages.closed.title')}</h1>
      <p role="status" id="account-closed">
        {t.t('accountPages.closed.text')}
      </p>
    </Layout>
  );
}
