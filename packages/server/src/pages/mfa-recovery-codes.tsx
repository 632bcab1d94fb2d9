/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Html, Layout, type PageProps } from './layout.js';

/** The `factor` value of the form that goes on after the codes were shown (interactions/mfa.ts). */
export const CONTINUE_AFTER_CODES = 'continue';

/** A new set of recovery codes, as the security page and the sign-in show them: left to right, one a line. */
export function RecoveryCodeList(props: { codes: readonly string[] }): Html {
  return (
    <ul class="recovery-codes" id="recovery-codes" dir="ltr">
      {props.codes.map((code) => (
        <li>
          <code>{code}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * Right after an authenticator app was set up inside a sign-in: the new recovery codes, shown
 * this once, and a button that goes on with the sign-in (POST /interaction/:uid/mfa,
 * `factor=continue`).
 */
export function MfaRecoveryCodesPage(props: PageProps & { uid: string; csrf: string; codes: string[] }): Html {
  const { site, t } = props;
  return (
    <Layout site={site} t={t} title={t.t('accounts.recoveryAfterEnrol.title')}>
      <h1 id="page-title">{t.t('accounts.recoveryAfterEnrol.title')}</h1>
      <p>{t.t('accounts.recoveryAfterEnrol.intro')}</p>
      <RecoveryCodeList codes={props.codes} />
      <form method="post" action={site.path(`/interaction/${props.uid}/mfa`)} id="continue-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="factor" value={CONTINUE_AFTER_CODES} />
        <div class="actions">
          <button type="submit" class="primary" id="continue" autofocus>
            {t.t('accounts.recoveryAfterEnrol.continue')}
          </button>
        </div>
      </form>
    </Layout>
  );
}
