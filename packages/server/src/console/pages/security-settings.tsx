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
] as const;

export type SecurityField = (typeof SECURITY_FIELDS)[number]['name'];
/** The numbers as typed, and the "Email me a code" switch (abuse/email-code.ts). */
export type SecurityValues = Record<SecurityField, string> & { email_code: boolean };

export const SECURITY_LABELS: Readonly<Record<SecurityField, ConsoleKey>> = {
  access_token_ttl: 'security.accessTokenTtl',
  id_token_ttl: 'security.idTokenTtl',
  refresh_token_ttl: 'security.refreshTokenTtl',
  session_ttl: 'security.sessionTtl',
  code_ttl: 'security.codeTtl',
  login_max_failures: 'security.loginMaxFailures',
  login_window: 'security.loginWindow',
};

/** The issuer's token and session lifetimes and its sign-in throttle; owners change them. */
export function SecuritySettingsPage(props: {
  frame: Frame;
  values: SecurityValues;
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
