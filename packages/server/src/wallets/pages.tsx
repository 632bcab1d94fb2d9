/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { ACCOUNT_APPS_PATH } from '../account/paths.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Html, Layout } from '../pages/layout.js';
import type { Text, Translator } from '../pages/translator.js';
import { WALLETS_LINK_PATH, WALLETS_PATH, WALLET_SCRIPT_PATH } from './paths.js';

interface Frame {
  scope: IssuerScope;
  t: Translator;
  userEmail: string;
}

function Back(props: { scope: IssuerScope; t: Translator }): Html {
  return (
    <p class="muted">
      <a href={props.t.carry(props.scope.path(ACCOUNT_APPS_PATH))} id="back-to-account">
        {props.t.t('wallet.back')}
      </a>
    </p>
  );
}

/**
 * `<issuer>/account/security/wallets`: the wallets section on a page of its own, with the
 * confirmation or refusal of the last form post. The account security page shows the same
 * section among the others (WALLETS_SECTION).
 */
export function WalletsPage(props: Frame & { section: Child; notice?: Text | undefined; error?: Text | undefined }): Html {
  const { scope, t } = props;
  return (
    <Layout site={scope} t={t} title={t.t('wallet.title')} localTimes>
      <h1 id="page-title">{t.t('wallet.title')}</h1>
      <p class="muted">{t.t('common.signedInAs', { email: props.userEmail })}</p>
      {props.notice ? (
        <p class="notice" role="status" id="notice">
          {t.say(props.notice)}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" role="alert" id="form-error">
          {t.say(props.error)}
        </p>
      ) : null}
      {props.section}
      <Back scope={scope} t={t} />
    </Layout>
  );
}

/**
 * The second step of linking: the EIP-4361 message for the address, which the wallet signs
 * (`personal_sign`, the script's button) or the person signs elsewhere and pastes. The message
 * goes back with the signature; the server checks every field of it and spends its nonce.
 */
export function WalletSignPage(props: Frame & { csrf: string; message: string; address: string; label: string }): Html {
  const { scope, t } = props;
  return (
    <Layout site={scope} t={t} title={t.t('wallet.sign.title')}>
      <h1 id="page-title">{t.t('wallet.sign.title')}</h1>
      <p class="muted">{t.t('common.signedInAs', { email: props.userEmail })}</p>
      <p>
        {t.rich('wallet.sign.intro', {
          address: (
            <code dir="ltr" class="wallet-address">
              {props.address}
            </code>
          ),
        })}
      </p>
      <form
        method="post"
        action={t.carry(scope.path(WALLETS_LINK_PATH))}
        id="wallet-link-form"
        data-wallet-message={props.message}
        data-wallet-address={props.address}
        data-wallet-failed={t.t('wallet.failed')}
      >
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="label" value={props.label} />
        <label for="wallet-message">{t.t('wallet.sign.message')}</label>
        <textarea id="wallet-message" name="message" readonly rows={10} dir="ltr">
          {props.message}
        </textarea>
        <p class="muted" data-wallet-no-extension="">
          {t.t('wallet.needsExtension')}
        </p>
        <p class="error" role="alert" data-wallet-status="" hidden />
        <div class="actions">
          <button type="button" class="primary" id="wallet-sign" data-wallet-sign-message="" hidden>
            {t.t('wallet.sign.button')}
          </button>
        </div>
        <details id="wallet-manual-signature">
          <summary>{t.t('wallet.manual.summary')}</summary>
          <p class="muted">{t.t('wallet.sign.manual')}</p>
          <label for="wallet-signature">{t.t('wallet.signature')}</label>
          <textarea id="wallet-signature" name="signature" rows={3} dir="ltr" spellcheck={false} autocomplete="off" />
          <div class="actions">
            <button type="submit" class="secondary" id="wallet-link">
              {t.t('wallet.sign.submit')}
            </button>
          </div>
        </details>
      </form>
      <p class="muted">
        <a href={t.carry(scope.path(WALLETS_PATH))} id="wallet-cancel">
          {t.t('wallet.sign.cancel')}
        </a>
      </p>
      <script src={scope.path(WALLET_SCRIPT_PATH)} defer />
    </Layout>
  );
}
