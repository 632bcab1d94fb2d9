/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { SecuritySection, SecuritySectionInput } from '../account/security-sections.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Html } from '../pages/layout.js';
import type { Translator } from '../pages/translator.js';
import type { Wallet } from '../store/repos/wallets.js';
import { REAUTH_PATH, WALLETS_PATH, WALLETS_START_PATH, WALLETS_UNLINK_PATH, WALLET_SCRIPT_PATH } from './paths.js';

// Rendered in UTC on the server, shown in the browser's zone by pages/local-time.ts where the page loads it.
function When(props: { t: Translator; seconds: number }): Html {
  return (
    <time datetime={new Date(props.seconds * 1000).toISOString()} data-local="">
      {props.t.dateTime(props.seconds)}
    </time>
  );
}

function WalletItem(props: { scope: IssuerScope; t: Translator; wallet: Wallet; csrf: string; recent: boolean; index: number }): Html {
  const { scope, t, wallet } = props;
  const name = wallet.label ?? t.t('wallet.unnamed');
  return (
    <li class="wallet" id={`wallet-${props.index}`}>
      <p>
        <strong>{name}</strong>{' '}
        <code dir="ltr" class="wallet-address">
          {wallet.address}
        </code>
      </p>
      <p class="muted">
        {t.rich('wallet.linkedOn', { chain: String(wallet.chainId), time: <When t={t} seconds={wallet.linkedAt} /> })}
        {wallet.lastUsedAt !== null ? <> {t.rich('wallet.lastUsed', { time: <When t={t} seconds={wallet.lastUsedAt} /> })}</> : null}
      </p>
      {props.recent ? (
        <form method="post" action={t.carry(scope.path(WALLETS_UNLINK_PATH))} class="unlink-form">
          <input type="hidden" name="csrf" value={props.csrf} />
          <input type="hidden" name="wallet" value={wallet.id} />
          <button type="submit" class="secondary" aria-label={t.t('wallet.unlinkLabel', { wallet: `${name} ${wallet.address}` })}>
            {t.t('wallet.unlink')}
          </button>
        </form>
      ) : null}
    </li>
  );
}

/** The "link a wallet" form: the script fills in the address from the extension; without one, it is typed. */
function StartForm(props: { scope: IssuerScope; t: Translator; csrf: string }): Html {
  const { scope, t } = props;
  return (
    <form method="post" action={t.carry(scope.path(WALLETS_START_PATH))} id="wallet-start-form" data-wallet-failed={t.t('wallet.failed')}>
      <input type="hidden" name="csrf" value={props.csrf} />
      <label for="wallet-label">{t.t('wallet.label')}</label>
      <input type="text" id="wallet-label" name="label" maxlength={100} autocomplete="off" />
      <p class="muted" id="wallet-needs-extension" data-wallet-no-extension="">
        {t.t('wallet.needsExtension')}
      </p>
      <p class="error" role="alert" data-wallet-status="" hidden />
      <div class="actions">
        <button type="button" class="primary" id="wallet-connect" data-wallet-connect="" hidden>
          {t.t('wallet.connect')}
        </button>
      </div>
      <details id="wallet-manual">
        <summary>{t.t('wallet.manual.summary')}</summary>
        <p class="muted">{t.t('wallet.manual.start')}</p>
        <label for="wallet-address">{t.t('wallet.address')}</label>
        <input type="text" id="wallet-address" name="address" dir="ltr" autocomplete="off" spellcheck={false} maxlength={42} placeholder="0x…" />
        <label for="wallet-chain">{t.t('wallet.chain')}</label>
        <input type="text" id="wallet-chain" name="chain_id" dir="ltr" inputmode="numeric" value="1" maxlength={15} />
        <div class="actions">
          <button type="submit" class="secondary" id="wallet-start">
            {t.t('wallet.manual.show')}
          </button>
        </div>
      </details>
    </form>
  );
}

/** What a section needs besides the security page's input: the user's wallets. */
export function WalletsSectionView(props: SecuritySectionInput & { scope: IssuerScope; wallets: Wallet[] }): Html {
  const { scope, t, wallets } = props;
  return (
    <section class="security-section" id="wallets" aria-labelledby="wallets-heading">
      <h2 id="wallets-heading">{t.t('wallet.heading')}</h2>
      <p class="muted">{t.t('wallet.intro')}</p>
      {wallets.length === 0 ? (
        <p id="wallets-none">{t.t('wallet.none')}</p>
      ) : (
        <ul class="wallets">
          {wallets.map((wallet, i) => (
            <WalletItem scope={scope} t={t} wallet={wallet} csrf={props.csrf} recent={props.recent} index={i} />
          ))}
        </ul>
      )}
      {props.recent ? (
        <StartForm scope={scope} t={t} csrf={props.csrf} />
      ) : (
        <form method="post" action={t.carry(scope.path(REAUTH_PATH))} id="wallet-reauth-form">
          <p class="muted">{t.t('wallet.reauth')}</p>
          <input type="hidden" name="csrf" value={props.csrf} />
          <input type="hidden" name="return" value={WALLETS_PATH} />
          <button type="submit" class="secondary" id="wallet-reauth">
            {t.t('wallet.reauthButton')}
          </button>
        </form>
      )}
      <script src={scope.path(WALLET_SCRIPT_PATH)} defer />
    </section>
  );
}

/** The wallets section of the account security page (account/security-sections.ts). */
export const WALLETS_SECTION: SecuritySection = {
  id: 'wallets',
  async render(_c: Context, scope: IssuerScope, input: SecuritySectionInput): Promise<Child> {
    const wallets = await scope.repos.wallets.listForUser(input.active.user.id);
    return <WalletsSectionView {...input} scope={scope} wallets={wallets} />;
  },
};
