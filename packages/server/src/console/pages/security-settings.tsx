/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';

/** The lifetimes and the sign-in throttle, by the Admin API's names, with their bounds. */
export const SECURITY_FIELDS = [
  { name: 'access_token_ttl', min: 60, max: 86_400 },
  { name: 'id_token_ttl', min: 60, max: 86_400 },
  { name: 'refresh_token_ttl', min: 300, max: 31_536_000 },
  { name: 'session_ttl', min: 300, max: 31_536_000 },
  { name: 'code_ttl', min: 10, max: 600 },
  { name: 'login_max_failures', min: 1, max: 1000 },
  { name: 'login_window', min: 60, max: 86_400 },
  { name: 'audit_retention_days', min: 0, max: 3650 },
] as const;

export type SecurityField = (typeof SECURITY_FIELDS)[number]['name'];
/** What closing an account does (IssuerSettings.closedAccounts): a choice, not a number. */
export const CLOSED_ACCOUNTS_FIELD = 'closed_accounts';
export const CLOSED_ACCOUNT_CHOICES = [
  { value: 'delete', label: 'security.closedDelete' },
  { value: 'anonymise', label: 'security.closedAnonymise' },
] as const satisfies readonly { value: string; label: ConsoleKey }[];
/** The numbers, and the choices (sign-up policy, closed accounts, "Email me a code") that are not numbers. */
export type SecurityValues = Record<SecurityField | 'sign_up' | typeof CLOSED_ACCOUNTS_FIELD, string> & { email_code: boolean };

/** The sign-up policies (signup/policy.ts), in the order the page offers them. */
export const SIGN_UP_POLICIES = ['off', 'open', 'invitation'] as const;
const SIGN_UP_LABELS = { off: 'security.signUp.off', open: 'security.signUp.open', invitation: 'security.signUp.invitation' } as const;

export const SECURITY_LABELS: Readonly<Record<SecurityField | 'sign_up', ConsoleKey>> = {
  sign_up: 'security.signUp',
  access_token_ttl: 'security.accessTokenTtl',
  id_token_ttl: 'security.idTokenTtl',
  refresh_token_ttl: 'security.refreshTokenTtl',
  session_ttl: 'security.sessionTtl',
  code_ttl: 'security.codeTtl',
  login_max_failures: 'security.loginMaxFailures',
  login_window: 'security.loginWindow',
  audit_retention_days: 'security.auditRetentionDays',
};

/** The second-factor policy and "remember this device", by the Admin API's names. */
export interface MfaValues {
  mfa: 'off' | 'optional' | 'required';
  remember_device: boolean;
}

const MFA_CHOICES = [
  ['off', 'mfa.policyOff'],
  ['optional', 'mfa.policyOptional'],
  ['required', 'mfa.policyRequired'],
] as const;

/** The issuer's token and session lifetimes, its sign-in throttle and its MFA policy; owners change them. */
export function SecuritySettingsPage(props: {
  frame: Frame;
  values: SecurityValues;
  mfa: MfaValues;
  etag: string;
  canWrite: boolean;
  notice?: ConsoleKey;
  problem?: FormProblem;
}): Html {
  const { scope, t } = props.frame;
  const title = t.t('security.title');
  const p = props.problem;
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      {props.notice ? <Notice kind={props.notice === 'security.saved' ? 'ok' : 'error'}>{t.t(props.notice)}</Notice> : null}
      <p>{t.t('security.intro')}</p>
      {props.canWrite ? null : <p class="muted">{t.t('security.ownersOnly')}</p>}
      <FieldErrors frame={props.frame} problem={p} labels={SECURITY_LABELS} />
      <form method="post" action={scope.path(CONSOLE_PATHS.settings)}>
        <Csrf frame={props.frame} />
        <input type="hidden" name="etag" value={props.etag} />
        <fieldset disabled={!props.canWrite}>
          {SECURITY_FIELDS.map((f) => (
            <>
              <label for={f.name}>{t.t(SECURITY_LABELS[f.name])}</label>
              <p class="hint" id={`${f.name}-hint`}>
                {t.t('security.range', { min: f.min, max: f.max })}
              </p>
              <input
                id={f.name}
                name={f.name}
                type="number"
                inputmode="numeric"
                min={f.min}
                max={f.max}
                step={1}
                required
                value={props.values[f.name]}
                {...fieldAttrs(p, f.name, `${f.name}-hint`)}
              />
            </>
          ))}
          <label for="sign_up">{t.t('security.signUp')}</label>
          <p class="hint" id="sign_up-hint">
            {t.t('security.signUpHint')}
          </p>
          <select id="sign_up" name="sign_up" {...fieldAttrs(p, 'sign_up', 'sign_up-hint')}>
            {SIGN_UP_POLICIES.map((policy) => (
              <option value={policy} selected={props.values.sign_up === policy}>
                {t.t(SIGN_UP_LABELS[policy])}
              </option>
            ))}
          </select>
          <label for="mfa">{t.t('mfa.policy')}</label>
          <select id="mfa" name="mfa">
            {MFA_CHOICES.map(([value, label]) => (
              <option value={value} selected={props.mfa.mfa === value}>
                {t.t(label)}
              </option>
            ))}
          </select>
          <p class="check">
            <input id="remember_device" name="remember_device" type="checkbox" value="1" checked={props.mfa.remember_device} />
            <label for="remember_device">{t.t('mfa.rememberDevice')}</label>
          </p>
          <label for={CLOSED_ACCOUNTS_FIELD}>{t.t('security.closedAccounts')}</label>
          <p class="hint" id={`${CLOSED_ACCOUNTS_FIELD}-hint`}>
            {t.t('security.closedAccountsHint')}
          </p>
          <select id={CLOSED_ACCOUNTS_FIELD} name={CLOSED_ACCOUNTS_FIELD} {...fieldAttrs(p, CLOSED_ACCOUNTS_FIELD, `${CLOSED_ACCOUNTS_FIELD}-hint`)}>
            {CLOSED_ACCOUNT_CHOICES.map((choice) => (
              <option value={choice.value} selected={props.values[CLOSED_ACCOUNTS_FIELD] === choice.value}>
                {t.t(choice.label)}
              </option>
            ))}
          </select>
          <p class="check">
            <input id="email_code" name="email_code" type="checkbox" value="1" checked={props.values.email_code} aria-describedby="email_code-hint" />
            <label for="email_code">{t.t('security.emailCode')}</label>
          </p>
          <p class="hint" id="email_code-hint">
            {t.t('security.emailCodeHint')}
          </p>
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('action.save')}
            </button>
          </p>
        </fieldset>
      </form>
    </ConsoleLayout>
  );
}
