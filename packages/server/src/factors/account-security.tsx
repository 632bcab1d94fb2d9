/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { SecuritySection, SecuritySectionInput } from '../account/security-sections.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Html, Layout } from '../pages/layout.js';
import { TotpSetup } from '../pages/mfa.js';
import type { Text, Translator } from '../pages/translator.js';
import { ACCOUNT_APPS_PATH, ACCOUNT_SECURITY_PATH } from '../account/paths.js';
import { mustKeepFactor } from './need.js';
import { FACTORS_PAGE_PATH, REAUTH_PATH, RECOVERY_GENERATE_PATH, TOTP_CONFIRM_PATH, TOTP_REMOVE_PATH, TOTP_START_PATH } from './paths.js';
import { FACTORS } from './registry.js';
import { RecoveryCodeList } from '../pages/mfa-recovery-codes.js';

/** A button that posts to `path` with the account CSRF token. */
function PostButton(props: { scope: IssuerScope; path: string; csrf: string; id: string; label: string; primary?: boolean; returnTo?: string }): Child {
  return (
    <form method="post" action={props.scope.path(props.path)} id={`${props.id}-form`}>
      <input type="hidden" name="csrf" value={props.csrf} />
      {props.returnTo ? <input type="hidden" name="return" value={props.returnTo} /> : null}
      <button type="submit" id={props.id} class={props.primary ? 'primary' : undefined}>
        {props.label}
      </button>
    </form>
  );
}

/** When the last sign-in is older than five minutes: a fresh one first (account/recent.ts). */
function SignInAgain(props: { scope: IssuerScope; t: Translator; csrf: string; id: string }): Child {
  return (
    <>
      <p class="muted">{props.t.t('mfa.section.recentNeeded')}</p>
      <PostButton
        scope={props.scope}
        path={REAUTH_PATH}
        csrf={props.csrf}
        id={props.id}
        label={props.t.t('mfa.section.signInAgain')}
        returnTo={ACCOUNT_SECURITY_PATH}
      />
    </>
  );
}

/** Whether the user has another real factor than the authenticator app (a passkey, a wallet). */
async function otherFactor(scope: IssuerScope, userId: string): Promise<boolean> {
  for (const factor of FACTORS) {
    if (factor.kind === 'totp' || factor.kind === 'recovery') continue;
    if (await factor.enrolled(scope, userId)) return true;
  }
  return false;
}

/** Whether removing the authenticator app would leave a user who must have a second factor without one. */
export async function totpIsLastRequiredFactor(scope: IssuerScope, userId: string): Promise<boolean> {
  return (await mustKeepFactor(scope, userId)) && !(await otherFactor(scope, userId));
}

export { otherFactor };

/** The authenticator app section of the account security page. */
export const TOTP_SECTION: SecuritySection = {
  id: 'totp',
  async render(_c, scope, input: SecuritySectionInput) {
    const { t, csrf, recent, active } = input;
    const on = await scope.repos.totpFactors.hasConfirmed(active.user.id);
    const locked = on && (await totpIsLastRequiredFactor(scope, active.user.id));
    return (
      <section aria-labelledby="totp-heading" id="totp-section">
        <h2 id="totp-heading">{t.t('mfa.section.totp')}</h2>
        <p id="totp-status">{t.t(on ? 'mfa.section.totpOn' : 'mfa.section.totpOff')}</p>
        {locked ? <p class="muted">{t.t('mfa.section.lastFactor', { brand: scope.settings.brand.name })}</p> : null}
        {!recent ? (
          <SignInAgain scope={scope} t={t} csrf={csrf} id="totp-reauth" />
        ) : on ? (
          locked ? null : (
            <PostButton scope={scope} path={TOTP_REMOVE_PATH} csrf={csrf} id="totp-remove" label={t.t('mfa.section.totpRemove')} />
          )
        ) : (
          <PostButton scope={scope} path={TOTP_START_PATH} csrf={csrf} id="totp-add" label={t.t('mfa.section.totpAdd')} primary />
        )}
      </section>
    );
  },
};

/** The recovery codes section: how many are left, and a new set (shown once). */
export const RECOVERY_SECTION: SecuritySection = {
  id: 'recovery',
  async render(_c, scope, input: SecuritySectionInput) {
    const { t, csrf, recent, active } = input;
    const left = await scope.repos.recoveryCodes.remaining(active.user.id);
    const hasFactor = (await scope.repos.totpFactors.hasConfirmed(active.user.id)) || (await otherFactor(scope, active.user.id));
    return (
      <section aria-labelledby="recovery-heading" id="recovery-section">
        <h2 id="recovery-heading">{t.t('mfa.section.recovery')}</h2>
        <p id="recovery-status">{left > 0 ? t.t('mfa.section.recoveryCount', { count: left }) : t.t('mfa.section.recoveryNone')}</p>
        {!hasFactor ? (
          <p class="muted">{t.t('mfa.section.recoveryNeedsFactor')}</p>
        ) : !recent ? (
          <SignInAgain scope={scope} t={t} csrf={csrf} id="recovery-reauth" />
        ) : (
          <PostButton scope={scope} path={RECOVERY_GENERATE_PATH} csrf={csrf} id="recovery-generate" label={t.t('mfa.section.recoveryGenerate')} />
        )}
      </section>
    );
  },
};

/** The factor sections in the order the security page shows them. */
export const FACTOR_SECTIONS: readonly SecuritySection[] = [TOTP_SECTION, RECOVERY_SECTION];

interface FramePage {
  scope: IssuerScope;
  t: Translator;
  notice?: Text | undefined;
  error?: Text | undefined;
  children: Child;
}

/** The frame of the factor pages: the account's title, a notice or error, a way back. */
function FactorsFrame(props: FramePage): Html {
  const { scope, t } = props;
  return (
    <Layout site={scope} t={t} title={t.t('mfa.title')}>
      <h1 id="page-title">{t.t('mfa.title')}</h1>
      {props.notice ? (
        <p class="notice" role="status" id="notice">
          {t.say(props.notice)}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" role="alert" id="factor-error" tabindex={-1} autofocus>
          {t.say(props.error)}
        </p>
      ) : null}
      {props.children}
      <p>
        <a href={t.carry(scope.path(ACCOUNT_APPS_PATH))} id="back">
          {t.t('mfa.section.back')}
        </a>
      </p>
    </Layout>
  );
}

/** GET /account/security/totp: the factor sections on a page of their own (until the security page lists them). */
export function FactorsPage(props: Omit<FramePage, 'children'> & { sections: Child[] }): Html {
  return <FactorsFrame {...props}>{props.sections}</FactorsFrame>;
}

/** The enrolment on the account page: the QR code, the key, and the first code that confirms it. */
export function TotpEnrolPage(props: Omit<FramePage, 'children'> & { csrf: string; secret: string; qrSvg: string }): Html {
  const { scope, t } = props;
  return (
    <FactorsFrame {...props}>
      <h2>{t.t('mfa.section.totpAdd')}</h2>
      <TotpSetup t={t} secret={props.secret} qrSvg={props.qrSvg} />
      <form method="post" action={scope.path(TOTP_CONFIRM_PATH)} id="totp-confirm-form" novalidate>
        <input type="hidden" name="csrf" value={props.csrf} />
        <label for="totp-code">{t.t('mfa.totp.label')}</label>
        <input type="text" id="totp-code" name="code" inputmode="numeric" pattern="[0-9 ]*" maxlength={8} autocomplete="one-time-code" required autofocus />
        <div class="actions">
          <button type="submit" class="primary" id="totp-confirm">
            {t.t('mfa.section.totpConfirm')}
          </button>
        </div>
      </form>
    </FactorsFrame>
  );
}

/** The new recovery codes, shown this once. */
export function RecoveryCodesPage(props: Omit<FramePage, 'children'> & { codes: string[] }): Html {
  const { t } = props;
  return (
    <FactorsFrame {...props}>
      <h2>{t.t('mfa.section.recovery')}</h2>
      <p>{t.t('mfa.section.recoveryShown')}</p>
      <RecoveryCodeList codes={props.codes} />
      <p>
        <a href={t.carry(props.scope.path(FACTORS_PAGE_PATH))} id="done">
          {t.t('mfa.section.back')}
        </a>
      </p>
    </FactorsFrame>
  );
}
